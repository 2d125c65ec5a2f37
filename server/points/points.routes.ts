import { randomUUID } from "node:crypto";
import { memberOf, staffOf } from "../http/auth.js";
import { ApiRoutes } from "../http/routes.js";
import { idempotencyKeyOf, runIdempotent } from "../idempotency/idempotency.service.js";
import { adjustPoints, creditActionByStaff, recordConsumption, voidConsumption } from "./earning.service.js";
import {
  actionBody,
  adjustmentBody,
  consumptionBody,
  ledgerQuery,
  orderNoParams,
  reasonBody,
  type ActionBody,
  type AdjustmentBody,
  type ConsumptionBody,
  type LedgerQuery,
} from "./points.schema.js";
import { expiringLots, listLedger } from "./points.service.js";

const RECORDERS = ["advisor", "manager", "admin"] as const;

export const pointsRoutes = () =>
  new ApiRoutes("/api/v1", "积分")
    .add<never, LedgerQuery>({ method: "get", path: "/me/points", summary: "我的积分明细", access: "member", query: ledgerQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => listLedger(m, memberOf(ctx).id, query.page, query.pageSize)),
    )
    .add({ method: "get", path: "/me/points/lots", summary: "我的积分到期明细（按到期日汇总）", access: "member" }, (ctx) =>
      ctx.deps.db.read((m) => expiringLots(m, memberOf(ctx).id, ctx.deps.clock())),
    )
    .add<ConsumptionBody>({ method: "post", path: "/staff/consumptions", summary: "登记消费并按规则积分（同一单号只积一次）", access: RECORDERS, body: consumptionBody }, (ctx, { body }) =>
      recordConsumption(ctx.deps.db, ctx.deps.config, staffOf(ctx), body),
    )
    .add<{ reason: string }, never, { orderNo: string }>(
      { method: "post", path: "/staff/consumptions/:orderNo/void", summary: "作废消费并扣回积分", access: RECORDERS, params: orderNoParams, body: reasonBody },
      (ctx, { params, body }) => ctx.deps.db.tx((m) => voidConsumption(m, staffOf(ctx), params.orderNo, body.reason)),
    )
    .add<ActionBody>({ method: "post", path: "/staff/points/actions", summary: "按行为规则奖励积分（每个关联对象一次）", access: ["advisor", "agent", "manager", "admin"], body: actionBody }, (ctx, { body }) =>
      creditActionByStaff(ctx.deps.db, ctx.deps.config, staffOf(ctx), body),
    )
    .add<AdjustmentBody>({ method: "post", path: "/staff/points/adjustments", summary: "人工调整积分（店长）", access: ["manager", "admin"], body: adjustmentBody }, (ctx, { body }) => {
      const staff = staffOf(ctx);
      const key = idempotencyKeyOf(ctx.get("Idempotency-Key"));
      return runIdempotent(ctx.deps.db, { scope: "points.adjust", actor: `staff:${staff.id}`, key, request: body }, (m) => adjustPoints(m, ctx.deps.config, staff, body, key ?? randomUUID()));
    });
