import { In, LessThanOrEqual, MoreThan, type EntityManager } from "typeorm";
import { affectedOf } from "../db/errors.js";
import { AppError, notFound } from "../http/app-error.js";
import { addDays, addMonths, todayInShanghai } from "../http/time.js";
import { Member } from "../members/members.entity.js";
import { PointsLedger, PointsLot, type LedgerReason } from "./points.entity.js";

export interface PointsChange {
  memberId: number;
  /** positive points */
  points: number;
  reason: LedgerReason;
  reasonText: string;
  idempotencyKey: string;
  refType?: string;
  refId?: string;
  staffId?: number | null;
}

/** Reasons that count as earned for tiers. */
export const EARNING_REASONS: LedgerReason[] = ["consumption", "consumption_void", "action"];

/**
 * Takes the member's row lock before anything else: every points change of one member then runs one
 * after another, and all of them lock in the same order (member, then lots), so they cannot deadlock.
 */
export async function lockMember(m: EntityManager, memberId: number): Promise<void> {
  const touched = await m.createQueryBuilder().update(Member).set({ pointsBalance: () => "pointsBalance" }).where("id = :memberId", { memberId }).execute();
  if (affectedOf(touched) === 0 && !(await m.existsBy(Member, { id: memberId }))) throw notFound("会员");
}

async function balanceOf(m: EntityManager, memberId: number): Promise<number> {
  const row = await m.findOne(Member, { where: { id: memberId }, select: { id: true, pointsBalance: true } });
  return row?.pointsBalance ?? 0;
}

async function appendLedger(m: EntityManager, change: PointsChange, delta: number, shortfall = 0): Promise<PointsLedger> {
  const entry = m.create(PointsLedger, {
    memberId: change.memberId,
    delta,
    balanceAfter: await balanceOf(m, change.memberId),
    reason: change.reason,
    reasonText: change.reasonText,
    refType: change.refType ?? null,
    refId: change.refId ?? null,
    idempotencyKey: change.idempotencyKey,
    shortfall,
    staffId: change.staffId ?? null,
    createdAt: new Date(),
  });
  return m.save(entry);
}

/** The ledger row already written for this key, if any: a retried credit or spend returns it. */
export function findLedgerEntry(m: EntityManager, idempotencyKey: string) {
  return m.findOneBy(PointsLedger, { idempotencyKey });
}

/** Credits points as a new lot expiring after `expiryMonths`; the caller holds the member lock. */
export async function creditPoints(m: EntityManager, change: PointsChange, expiryMonths: number): Promise<PointsLedger> {
  if (!Number.isInteger(change.points) || change.points < 0) throw new Error(`credit of ${change.points} points`);
  await m
    .createQueryBuilder()
    .update(Member)
    .set({ pointsBalance: () => `pointsBalance + ${change.points}` })
    .where("id = :id", { id: change.memberId })
    .execute();
  const entry = await appendLedger(m, change, change.points);
  if (change.points > 0) {
    await m.insert(PointsLot, { memberId: change.memberId, ledgerId: entry.id, points: change.points, remaining: change.points, expiresAt: addMonths(entry.createdAt, expiryMonths), createdAt: entry.createdAt });
  }
  return entry;
}

/** Takes `points` out of the member's lots, earliest expiry first (a preferred lot first when given). */
async function consumeLots(m: EntityManager, memberId: number, points: number, preferLedgerId?: number): Promise<void> {
  let need = points;
  while (need > 0) {
    const lots = await m.find(PointsLot, { where: { memberId, remaining: MoreThan(0) }, order: { expiresAt: "ASC", id: "ASC" }, take: 50 });
    if (lots.length === 0) throw new Error(`member ${memberId}: lots hold less than the balance`);
    lots.sort((a, b) => Number(b.ledgerId === preferLedgerId) - Number(a.ledgerId === preferLedgerId));
    for (const lot of lots) {
      const take = Math.min(lot.remaining, need);
      const taken = await m
        .createQueryBuilder()
        .update(PointsLot)
        .set({ remaining: () => `remaining - ${take}` })
        .where("id = :id AND remaining >= :take", { id: lot.id, take })
        .execute();
      if (affectedOf(taken) === 1) need -= take;
      if (need === 0) break;
    }
  }
}

/** Spends points: a guarded decrement (never below zero), then the lots; the caller holds the member lock. */
export async function spendPoints(m: EntityManager, change: PointsChange): Promise<PointsLedger> {
  await expireDueLots(m, change.memberId, new Date());
  const spent = await m
    .createQueryBuilder()
    .update(Member)
    .set({ pointsBalance: () => `pointsBalance - ${change.points}` })
    .where("id = :id AND pointsBalance >= :points", { id: change.memberId, points: change.points })
    .execute();
  if (affectedOf(spent) === 0) {
    throw new AppError("POINTS_INSUFFICIENT", `积分不足，需要 ${change.points} 积分`, { required: change.points, balance: await balanceOf(m, change.memberId) });
  }
  await consumeLots(m, change.memberId, change.points);
  return appendLedger(m, change, -change.points);
}

/**
 * Takes back up to `points` (a voided purchase): never below zero; what could not be taken is kept as
 * the row's shortfall. The caller holds the member lock.
 */
export async function takeBackPoints(m: EntityManager, change: PointsChange, fromLedgerId: number): Promise<PointsLedger> {
  await expireDueLots(m, change.memberId, new Date());
  const taken = Math.min(change.points, await balanceOf(m, change.memberId));
  if (taken > 0) {
    await m
      .createQueryBuilder()
      .update(Member)
      .set({ pointsBalance: () => `pointsBalance - ${taken}` })
      .where("id = :id AND pointsBalance >= :taken", { id: change.memberId, taken })
      .execute();
    await consumeLots(m, change.memberId, taken, fromLedgerId);
  }
  return appendLedger(m, change, -taken, change.points - taken);
}

/** Expires what is left of the member's lots that reached their expiry; the caller holds the member lock. */
export async function expireDueLots(m: EntityManager, memberId: number, now: Date): Promise<number> {
  const due = await m.find(PointsLot, { where: { memberId, remaining: MoreThan(0), expiresAt: LessThanOrEqual(now) }, order: { id: "ASC" } });
  let expired = 0;
  for (const lot of due) {
    const cleared = await m.update(PointsLot, { id: lot.id, remaining: lot.remaining }, { remaining: 0 });
    if (affectedOf(cleared) === 0) continue;
    await m
      .createQueryBuilder()
      .update(Member)
      .set({ pointsBalance: () => `pointsBalance - ${lot.remaining}` })
      .where("id = :id AND pointsBalance >= :n", { id: memberId, n: lot.remaining })
      .execute();
    await appendLedger(
      m,
      { memberId, points: lot.remaining, reason: "expire", reasonText: `积分过期（${todayInShanghai(lot.createdAt)} 获得的积分有效期已到）`, idempotencyKey: `expire:lot:${lot.id}`, refType: "lot", refId: String(lot.id) },
      -lot.remaining,
    );
    expired += lot.remaining;
  }
  return expired;
}

/** Points earned (purchases, actions, minus voids) since `since`; tiers are reached on this. */
export async function earnedSince(m: EntityManager, memberId: number, since: Date): Promise<number> {
  const row = await m
    .createQueryBuilder(PointsLedger, "l")
    .select("COALESCE(SUM(l.delta), 0)", "earned")
    .where({ memberId, reason: In(EARNING_REASONS), createdAt: MoreThan(since) })
    .getRawOne<{ earned: string | number }>();
  return Number(row?.earned ?? 0);
}

/** Points that expire within `days`, with the first date they do. */
export async function expiringSoon(m: EntityManager, memberId: number, now: Date, days: number) {
  const lots = await m.find(PointsLot, {
    where: { memberId, remaining: MoreThan(0), expiresAt: LessThanOrEqual(addDays(now, days)) },
    order: { expiresAt: "ASC" },
  });
  return { points: lots.reduce((sum, lot) => sum + lot.remaining, 0), firstDate: lots[0] ? lots[0].expiresAt.toISOString() : null };
}

/** The member's points history, newest first, each row with the reason they read. */
export async function listLedger(m: EntityManager, memberId: number, page: number, pageSize: number) {
  const [rows, total] = await m.findAndCount(PointsLedger, { where: { memberId }, order: { id: "DESC" }, skip: (page - 1) * pageSize, take: pageSize });
  const items = rows.map((r) => ({ id: r.id, delta: r.delta, balanceAfter: r.balanceAfter, reason: r.reason, reasonText: r.reasonText, shortfall: r.shortfall, createdAt: r.createdAt.toISOString() }));
  return { total, page, pageSize, items };
}
