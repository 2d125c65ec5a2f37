import type { EntityManager } from "typeorm";
import { addMonths } from "../http/time.js";
import { Member } from "../members/members.entity.js";
import { earnedSince } from "../points/points.service.js";
import { Tier, TierBenefit, TierHistory } from "./tiers.entity.js";

/** Tiers from lowest to highest. */
export async function loadTiers(m: EntityManager): Promise<Tier[]> {
  return m.find(Tier, { order: { sortOrder: "ASC" } });
}

// The member card shows the tier ladder on every read; it changes only when an admin edits it. Kept per
// database for a few seconds (another instance's edit shows within TIER_CACHE_MS), dropped at once on
// an edit through this instance. Writes (upgrades, reviews) always read the table.
const TIER_CACHE_MS = 10_000;
const tierCache = new WeakMap<object, { at: number; tiers: Promise<Tier[]> }>();

/** Tiers for display, from the short cache. */
export function cachedTiers(m: EntityManager, now = Date.now()): Promise<Tier[]> {
  const cached = tierCache.get(m.connection);
  if (cached && now - cached.at < TIER_CACHE_MS) return cached.tiers;
  const tiers = loadTiers(m);
  tierCache.set(m.connection, { at: now, tiers });
  tiers.catch(() => tierCache.delete(m.connection));
  return tiers;
}

/** Called after an edit of the tiers. */
export function forgetCachedTiers(m: EntityManager): void {
  tierCache.delete(m.connection);
}

/** The highest tier whose threshold the earned points reach. */
export function tierFor(tiers: Tier[], earned: number): Tier {
  return tiers.filter((t) => t.threshold <= earned).at(-1) ?? tiers[0];
}

export const earnedLast12Months = (m: EntityManager, memberId: number, now: Date) => earnedSince(m, memberId, addMonths(now, -12));

async function moveTier(m: EntityManager, member: Member, to: Tier, earned: number, reason: string): Promise<boolean> {
  const moved = await m.update(Member, { id: member.id, tierCode: member.tierCode }, { tierCode: to.code });
  if (!moved.affected) return false;
  await m.insert(TierHistory, { memberId: member.id, fromTier: member.tierCode, toTier: to.code, reason, earned12m: earned, createdAt: new Date() });
  return true;
}

/** Upgrades at once when the points earned in the last 12 months cross a higher threshold; never downgrades. */
export async function upgradeIfEarned(m: EntityManager, memberId: number, now: Date): Promise<void> {
  const [member, tiers] = await Promise.all([m.findOneByOrFail(Member, { id: memberId }), loadTiers(m)]);
  const earned = await earnedLast12Months(m, memberId, now);
  const target = tierFor(tiers, earned);
  const current = tiers.find((t) => t.code === member.tierCode) ?? tiers[0];
  if (target.sortOrder > current.sortOrder) {
    await moveTier(m, member, target, earned, `升级：近12个月累计获得 ${earned} 积分，达到${target.name}门槛 ${target.threshold}`);
  }
}

/** Monthly review of one member: moves them to the tier their last 12 months earn (down as well as up). */
export async function reviewTier(m: EntityManager, memberId: number, now: Date): Promise<"up" | "down" | "same"> {
  const [member, tiers] = await Promise.all([m.findOneByOrFail(Member, { id: memberId }), loadTiers(m)]);
  const earned = await earnedLast12Months(m, memberId, now);
  const target = tierFor(tiers, earned);
  const current = tiers.find((t) => t.code === member.tierCode) ?? tiers[0];
  if (target.code === current.code) return "same";
  const down = target.sortOrder < current.sortOrder;
  const reason = down
    ? `月度复核降级：近12个月累计获得 ${earned} 积分，低于${current.name}门槛 ${current.threshold}`
    : `月度复核升级：近12个月累计获得 ${earned} 积分，达到${target.name}门槛 ${target.threshold}`;
  return (await moveTier(m, member, target, earned, reason)) ? (down ? "down" : "up") : "same";
}

/** Tier, progress to the next tier, for the member card; `earned` is the member's last 12 months. */
export function tierSummary(tiers: Tier[], member: Pick<Member, "tierCode">, earned: number) {
  const current = tiers.find((t) => t.code === member.tierCode) ?? tiers[0];
  const next = tiers.find((t) => t.sortOrder > current.sortOrder) ?? null;
  return {
    tier: { code: current.code, name: current.name, multiplierPct: current.multiplierPct, labourDiscountPct: current.labourDiscountPct },
    earnedLast12Months: earned,
    nextTier: next ? { code: next.code, name: next.name, threshold: next.threshold, pointsNeeded: Math.max(0, next.threshold - earned) } : null,
  };
}

/** The tier ladder with each tier's counted benefits, for the member's "how to level up" page. */
export async function listTiersWithBenefits(m: EntityManager) {
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
}

/** The member's tier moves with their reasons, newest first. */
export async function listTierHistory(m: EntityManager, memberId: number) {
  const rows = await m.find(TierHistory, { where: { memberId }, order: { id: "DESC" } });
  return rows.map((h) => ({ fromTier: h.fromTier, toTier: h.toTier, reason: h.reason, createdAt: h.createdAt.toISOString() }));
}
