import { randomUUID } from "node:crypto";
import { memberOf, staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { idempotencyKeyOf, runIdempotent } from "../idempotency/idempotency.service.js";
import { findMemberForStaff } from "../members/members.service.js";
import { reasonBody } from "../points/points.schema.js";
import { listClaimable, listMyCoupons } from "./coupons.service.js";
import { couponCodeParams, issueBody, myCouponsQuery, redeemBody, type IssueBody, type MyCouponsQuery, type RedeemBody } from "./coupons.schema.js";
import { claimCoupon, exchangeCoupon, issueByStaff } from "./issue.service.js";
import { redeemCoupon, voidCoupon } from "./redeem.service.js";

export const couponRoutes = () =>
  new ApiRoutes("/api/v1", "优惠券")
    .add({ method: "get", path: "/coupons/claimable", summary: "可领取/可兑换的优惠券", access: "member" }, (ctx) => ctx.deps.db.read((m) => listClaimable(m, memberOf(ctx).id)))
    .add<never, never, IdParams>(
      { method: "post", path: "/coupons/templates/:id/claim", summary: "领取优惠券（支持 Idempotency-Key）", access: "member", params: idParams, status: 201 },
      (ctx, { params }) => {
        const memberId = memberOf(ctx).id;
        const key = idempotencyKeyOf(ctx.get("Idempotency-Key"));
        return runIdempotent(ctx.deps.db, { scope: "coupon.claim", actor: `member:${memberId}`, key, request: params }, (m) => claimCoupon(m, memberId, params.id));
      },
    )
    .add<never, never, IdParams>(
      { method: "post", path: "/coupons/templates/:id/exchange", summary: "积分兑换优惠券（支持 Idempotency-Key）", access: "member", params: idParams, status: 201 },
      (ctx, { params }) => {
        const memberId = memberOf(ctx).id;
        const key = idempotencyKeyOf(ctx.get("Idempotency-Key"));
        return runIdempotent(ctx.deps.db, { scope: "coupon.exchange", actor: `member:${memberId}`, key, request: params }, (m) => exchangeCoupon(m, memberId, params.id, key ?? randomUUID()));
      },
    )
    .add<never, MyCouponsQuery>({ method: "get", path: "/me/coupons", summary: "我的优惠券", access: "member", query: myCouponsQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => listMyCoupons(m, memberOf(ctx).id, query)),
    )
    .add<RedeemBody>({ method: "post", path: "/staff/coupons/redeem", summary: "核销优惠券（支持 Idempotency-Key）", access: ["advisor", "manager", "admin"], body: redeemBody }, (ctx, { body }) => {
      const staff = staffOf(ctx);
      const key = idempotencyKeyOf(ctx.get("Idempotency-Key"));
      return runIdempotent(ctx.deps.db, { scope: "coupon.redeem", actor: `staff:${staff.id}`, key, request: body }, (m) => redeemCoupon(m, staff, body));
    })
    .add<IssueBody>({ method: "post", path: "/staff/coupons/issue", summary: "发放补偿券（支持 Idempotency-Key）", access: ["agent", "manager", "admin"], body: issueBody, status: 201 }, (ctx, { body }) => {
      const staff = staffOf(ctx);
      const key = idempotencyKeyOf(ctx.get("Idempotency-Key"));
      return runIdempotent(ctx.deps.db, { scope: "coupon.issue", actor: `staff:${staff.id}`, key, request: body }, async (m) => issueByStaff(m, await findMemberForStaff(m, staff, body), body.templateId, body.note));
    })
    .add<{ reason: string }, never, { code: string }>(
      { method: "post", path: "/staff/coupons/:code/void", summary: "作废优惠券（积分兑换且未过期的券退还积分）", access: ["manager", "admin"], params: couponCodeParams, body: reasonBody },
      (ctx, { params, body }) => ctx.deps.db.tx((m) => voidCoupon(m, ctx.deps.config, staffOf(ctx), params.code, body.reason)),
    );
