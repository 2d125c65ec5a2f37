import { memberOf, staffOf } from "../http/auth.js";
import { ApiRoutes } from "../http/routes.js";
import { findMemberForStaff, getMember, storeOfAction } from "../members/members.service.js";
import { listBenefits, useBenefit } from "./benefits.service.js";
import { TierBenefit, TierHistory } from "./tiers.entity.js";
import { useBenefitBody, type UseBenefitBody } from "./tiers.schema.js";
import { loadTiers } from "./tiers.service.js";

export const tierRoutes = () =>
  new ApiRoutes("/api/v1", "等级与权益")
    .add({ method: "get", path: "/loyalty/tiers", summary: "会员等级、门槛与权益", access: "public" }, (ctx) =>
      ctx.deps.db.read(async (m) => {
        const [tiers, benefits] = await Promise.all([loadTiers(m), m.find(TierBenefit, { order: { id: "ASC" } })]);
        return tiers.map((t) => ({
          code: t.code,
          name: t.name,
          threshold: t.threshold,
          multiplierPct: t.multiplierPct,
          birthdayMultiplierPct: t.birthdayMultiplierPct,
          labourDiscountPct: t.labourDiscountPct,
          benefits: benefits.filter((b) => b.tierCode === t.code).map((b) => ({ code: b.code, name: b.name, quota: b.quota, period: b.period })),
        }));
      }),
    )
    .add({ method: "get", path: "/me/benefits", summary: "我的权益与本期剩余次数", access: "member" }, (ctx) =>
      ctx.deps.db.read(async (m) => listBenefits(m, await getMember(m, memberOf(ctx).id), new Date())),
    )
    .add({ method: "get", path: "/me/tier-history", summary: "我的等级变动记录", access: "member" }, (ctx) =>
      ctx.deps.db.read(async (m) =>
        (await m.find(TierHistory, { where: { memberId: memberOf(ctx).id }, order: { id: "DESC" } })).map((h) => ({ fromTier: h.fromTier, toTier: h.toTier, reason: h.reason, createdAt: h.createdAt.toISOString() })),
      ),
    )
    .add<UseBenefitBody>({ method: "post", path: "/staff/benefits/redeem", summary: "核销一次会员权益（每个工单一次）", access: ["advisor", "manager", "admin"], body: useBenefitBody }, async (ctx, { body }) => {
      const staff = staffOf(ctx);
      const storeId = storeOfAction(staff, body.storeId);
      const member = await ctx.deps.db.read((m) => findMemberForStaff(m, staff, body));
      return useBenefit(ctx.deps.db, { memberId: member.id, benefitCode: body.benefitCode, reference: body.reference, staffId: staff.id, storeId });
    });
