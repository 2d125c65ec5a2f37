import { memberOf, staffOf } from "../http/auth.js";
import { ApiRoutes } from "../http/routes.js";
import { getMember } from "../members/members.service.js";
import { listBenefits, useBenefitByStaff } from "./benefits.service.js";
import { useBenefitBody, type UseBenefitBody } from "./tiers.schema.js";
import { listTierHistory, listTiersWithBenefits } from "./tiers.service.js";

export const tierRoutes = () =>
  new ApiRoutes("/api/v1", "等级与权益")
    .add({ method: "get", path: "/loyalty/tiers", summary: "会员等级、门槛与权益", access: "public" }, (ctx) => ctx.deps.db.read(listTiersWithBenefits))
    .add({ method: "get", path: "/me/benefits", summary: "我的权益与本期剩余次数", access: "member" }, (ctx) =>
      ctx.deps.db.read(async (m) => listBenefits(m, await getMember(m, memberOf(ctx).id), new Date())),
    )
    .add({ method: "get", path: "/me/tier-history", summary: "我的等级变动记录", access: "member" }, (ctx) =>
      ctx.deps.db.read((m) => listTierHistory(m, memberOf(ctx).id)),
    )
    .add<UseBenefitBody>({ method: "post", path: "/staff/benefits/redeem", summary: "核销一次会员权益（每个工单一次）", access: ["advisor", "manager", "admin"], body: useBenefitBody }, (ctx, { body }) =>
      useBenefitByStaff(ctx.deps.db, staffOf(ctx), body),
    );
