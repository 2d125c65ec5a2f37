import type { EntityManager } from "typeorm";
import { recordAudit } from "../audit/audit.service.js";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { affectedOf, retryAfterUniqueRace } from "../db/errors.js";
import { formatYuan } from "../http/money.js";
import { AppError, notFound } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { assertStoreScope } from "../http/auth.js";
import { todayInShanghai } from "../http/time.js";
import { Member } from "../members/members.entity.js";
import { findMemberForStaff, storeOfAction } from "../members/members.service.js";
import { Tier } from "../tiers/tiers.entity.js";
import { upgradeIfEarned } from "../tiers/tiers.service.js";
import { Consumption, EarningCategory, EarningRule, PointsLedger } from "./points.entity.js";
import type { ActionBody, AdjustmentBody, ConsumptionBody } from "./points.schema.js";
import { creditPoints, findLedgerEntry, lockMember, spendPoints, takeBackPoints } from "./points.service.js";

/** Points for a purchase: floor(yuan × points per yuan × category % × tier % × birthday-month %), all integers. */
export function pointsForPurchase(amountFen: number, pointsPerYuan: number, categoryPct: number, tierPct: number, birthdayPct: number): number {
  return Math.floor((amountFen * pointsPerYuan * categoryPct * tierPct * birthdayPct) / 100_000_000);
}

const inBirthdayMonth = (member: Member, now: Date) => member.birthday !== null && member.birthday.slice(5, 7) === todayInShanghai(now).slice(5, 7);

function toConsumptionView(c: Consumption, balance: number, replayed: boolean) {
  return { id: c.id, orderNo: c.orderNo, memberId: c.memberId, storeId: c.storeId, category: c.category, amountFen: c.amountFen, pointsEarned: c.pointsEarned, status: c.status, pointsBalance: balance, replayed, createdAt: c.createdAt.toISOString() };
}

async function replayConsumption(m: EntityManager, existing: Consumption, body: { amountFen: number; category: string }, memberId: number) {
  if (existing.memberId !== memberId || existing.amountFen !== body.amountFen || existing.category !== body.category) {
    throw new AppError("ORDER_NO_CONFLICT", "该单号已登记过另一笔消费", { orderNo: existing.orderNo });
  }
  const member = await m.findOneByOrFail(Member, { id: memberId });
  return toConsumptionView(existing, member.pointsBalance, true);
}

/**
 * Records a purchase of a member and credits its points once per orderNo, in the caller's transaction
 * (bookings call this on completion). A repeat of the same order returns the first result.
 */
export async function recordConsumptionFor(m: EntityManager, config: Config, staff: StaffPrincipal, member: Member, body: Omit<ConsumptionBody, "memberId" | "memberCode">, now = new Date()) {
  const storeId = storeOfAction(staff, body.storeId);
  const category = await m.findOneBy(EarningCategory, { code: body.category, active: true });
  if (!category) throw new AppError("CATEGORY_UNKNOWN", `未知的消费类别：${body.category}`);
  await lockMember(m, member.id);
  const existing = await m.findOneBy(Consumption, { orderNo: body.orderNo });
  if (existing) return replayConsumption(m, existing, body, member.id);
  const tier = await m.findOneByOrFail(Tier, { code: member.tierCode });
  const points = pointsForPurchase(body.amountFen, config.loyalty.pointsPerYuan, category.multiplierPct, tier.multiplierPct, inBirthdayMonth(member, now) ? tier.birthdayMultiplierPct : 100);
  const consumption = await m.save(
    m.create(Consumption, { orderNo: body.orderNo, memberId: member.id, storeId, category: category.code, amountFen: body.amountFen, pointsEarned: points, status: "recorded", staffId: staff.id, createdAt: now, voidedAt: null, voidReason: null }),
  );
  const entry = await creditPoints(
    m,
    { memberId: member.id, points, reason: "consumption", reasonText: `${category.name}消费 ${formatYuan(body.amountFen)}（单号 ${body.orderNo}）`, idempotencyKey: `consumption:${body.orderNo}`, refType: "consumption", refId: body.orderNo, staffId: staff.id },
    config.loyalty.pointsExpiryMonths,
  );
  await upgradeIfEarned(m, member.id, now);
  return toConsumptionView(consumption, entry.balanceAfter, false);
}

/** Records a purchase posted by staff; a parallel post of the same orderNo that wins makes this one answer with its result. */
export async function recordConsumption(db: Database, config: Config, staff: StaffPrincipal, body: ConsumptionBody, now = new Date()) {
  return retryAfterUniqueRace(() => db.tx(async (m) => recordConsumptionFor(m, config, staff, await findMemberForStaff(m, staff, body), body, now)));
}

/** Voids a purchase and takes its points back, never below zero; the shortfall stays on the ledger row. */
export async function voidConsumption(m: EntityManager, staff: StaffPrincipal, orderNo: string, reason: string) {
  const consumption = await m.findOneBy(Consumption, { orderNo });
  if (!consumption) throw notFound("消费记录");
  assertStoreScope(staff, consumption.storeId);
  await lockMember(m, consumption.memberId);
  const voided = await m.update(Consumption, { id: consumption.id, status: "recorded" }, { status: "voided", voidedAt: new Date(), voidReason: reason });
  if (affectedOf(voided) === 0) throw new AppError("CONSUMPTION_ALREADY_VOIDED", "该消费已作废");
  const credited = await findLedgerEntry(m, `consumption:${orderNo}`);
  const entry = await takeBackPoints(
    m,
    { memberId: consumption.memberId, points: consumption.pointsEarned, reason: "consumption_void", reasonText: `消费作废（单号 ${orderNo}）：${reason}`, idempotencyKey: `consumption_void:${orderNo}`, refType: "consumption", refId: orderNo, staffId: staff.id },
    credited?.id ?? 0,
  );
  return { orderNo, status: "voided", pointsTakenBack: -entry.delta, shortfall: entry.shortfall, pointsBalance: entry.balanceAfter };
}

/** Credits an action rule (review, referral, event) once per rule and reference. */
export async function creditAction(m: EntityManager, config: Config, memberId: number, ruleCode: string, reference: string, staffId: number | null) {
  const rule = await m.findOneBy(EarningRule, { code: ruleCode, active: true });
  if (!rule) throw new AppError("RULE_UNKNOWN", `未知的积分规则：${ruleCode}`);
  await lockMember(m, memberId);
  const key = `action:${rule.code}:${reference}`;
  const existing = await findLedgerEntry(m, key);
  if (existing && existing.memberId !== memberId) throw new AppError("ACTION_ALREADY_CREDITED", "该奖励已发放给其他会员", { rule: rule.code, reference });
  const entry = existing ?? (await creditPoints(m, { memberId, points: rule.points, reason: "action", reasonText: `${rule.name}奖励`, idempotencyKey: key, refType: rule.code, refId: reference, staffId }, config.loyalty.pointsExpiryMonths));
  if (!existing) await upgradeIfEarned(m, memberId, new Date());
  return { rule: rule.code, reference, points: entry.delta, replayed: existing !== null, pointsBalance: (await m.findOneByOrFail(Member, { id: memberId })).pointsBalance };
}

/** Staff credit an action; when the same rule and reference race for two members, the loser gets the clear refusal. */
export async function creditActionByStaff(db: Database, config: Config, staff: StaffPrincipal, body: ActionBody) {
  return retryAfterUniqueRace(() => db.tx(async (m) => creditAction(m, config, (await findMemberForStaff(m, staff, body)).id, body.rule, body.reference, staff.id)));
}

/** A manager's manual adjustment, audited; a negative one cannot take the balance below zero. */
export async function adjustPoints(m: EntityManager, config: Config, staff: StaffPrincipal, body: AdjustmentBody, idempotencyKey: string) {
  const member = await findMemberForStaff(m, staff, { memberId: body.memberId });
  await lockMember(m, member.id);
  const change = { memberId: member.id, points: Math.abs(body.delta), reason: "adjust" as const, reasonText: `人工调整：${body.reason}`, idempotencyKey: `adjust:${idempotencyKey}`, refType: "staff", refId: String(staff.id), staffId: staff.id };
  const entry: PointsLedger = body.delta > 0 ? await creditPoints(m, change, config.loyalty.pointsExpiryMonths) : await spendPoints(m, change);
  await recordAudit(m, { actorType: "staff", actorId: staff.id, action: "points.adjusted", targetType: "member", targetId: member.id, detail: { delta: body.delta, reason: body.reason, ledgerId: entry.id } });
  return { ledgerId: entry.id, delta: entry.delta, pointsBalance: entry.balanceAfter };
}
