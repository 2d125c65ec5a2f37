import type { EntityManager } from "typeorm";
import { recordAudit } from "../audit/audit.service.js";
import { AppError, notFound } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { EarningCategory, EarningRule } from "../points/points.entity.js";
import { Tier, TierBenefit } from "./tiers.entity.js";
import type { PutBenefitBody, PutCategoryBody, PutRuleBody, UpdateTierBody } from "./loyalty-settings.schema.js";
import { forgetCachedTiers, loadTiers } from "./tiers.service.js";

const audit = (m: EntityManager, staff: StaffPrincipal, action: string, targetId: number, detail: object) =>
  recordAudit(m, { actorType: "staff", actorId: staff.id, action, targetType: "loyalty_setting", targetId, detail: { ...detail } });

/** Changes a tier; thresholds must keep rising with the tier order (the lowest stays at 0). */
export async function updateTier(m: EntityManager, staff: StaffPrincipal, code: string, body: UpdateTierBody) {
  const tiers = await loadTiers(m);
  const tier = tiers.find((t) => t.code === code);
  if (!tier) throw notFound("会员等级");
  const next = tiers.map((t) => (t.code === code ? { ...t, ...body } : t));
  const rising = next.every((t, i) => (i === 0 ? t.threshold === 0 : t.threshold > next[i - 1].threshold));
  if (!rising) throw new AppError("VALIDATION_FAILED", "等级门槛必须逐级递增，最低等级门槛为 0", [{ in: "body", field: "threshold", rule: "order", message: "门槛顺序不正确" }]);
  await m.update(Tier, { id: tier.id }, body);
  forgetCachedTiers(m);
  await audit(m, staff, "loyalty.tier.updated", tier.id, { code, ...body });
  return m.findOneByOrFail(Tier, { id: tier.id });
}

/** Sets a tier's counted benefit (quota 0 removes it). New members' tiers and current periods use it at once. */
export async function putBenefit(m: EntityManager, staff: StaffPrincipal, body: PutBenefitBody) {
  if (!(await m.existsBy(Tier, { code: body.tierCode }))) throw notFound("会员等级");
  const existing = await m.findOneBy(TierBenefit, { tierCode: body.tierCode, code: body.code });
  if (body.quota === 0) {
    if (existing) await m.delete(TierBenefit, { id: existing.id });
  } else if (existing) {
    await m.update(TierBenefit, { id: existing.id }, { name: body.name, quota: body.quota, period: body.period });
  } else {
    await m.insert(TierBenefit, body);
  }
  await audit(m, staff, "loyalty.benefit.set", existing?.id ?? 0, { ...body });
  return m.find(TierBenefit, { where: { tierCode: body.tierCode }, order: { id: "ASC" } });
}

/** Creates or changes a spend category's multiplier. */
export async function putCategory(m: EntityManager, staff: StaffPrincipal, code: string, body: PutCategoryBody) {
  const existing = await m.findOneBy(EarningCategory, { code });
  if (existing) await m.update(EarningCategory, { id: existing.id }, body);
  else await m.insert(EarningCategory, { code, ...body });
  const saved = await m.findOneByOrFail(EarningCategory, { code });
  await audit(m, staff, "loyalty.category.set", saved.id, { code, ...body });
  return saved;
}

/** Creates or changes an action rule's points. */
export async function putRule(m: EntityManager, staff: StaffPrincipal, code: string, body: PutRuleBody) {
  const existing = await m.findOneBy(EarningRule, { code });
  if (existing) await m.update(EarningRule, { id: existing.id }, body);
  else await m.insert(EarningRule, { code, ...body });
  const saved = await m.findOneByOrFail(EarningRule, { code });
  await audit(m, staff, "loyalty.rule.set", saved.id, { code, ...body });
  return saved;
}

export async function listEarningSettings(m: EntityManager) {
  const [categories, rules] = await Promise.all([m.find(EarningCategory, { order: { id: "ASC" } }), m.find(EarningRule, { order: { id: "ASC" } })]);
  return { categories, rules };
}
