import { In, LessThanOrEqual, MoreThan, type EntityManager } from "typeorm";
import { affectedOf } from "../db/errors.js";
import { execute, fromSqlDate, hasInsertReturning, sqlDate } from "../db/sql.js";
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

/** Lots read per page when spending. */
const LOT_PAGE = 50;

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

/**
 * The member's lots with points left, earliest expiry first (a page). It may run before the member
 * lock is taken, to keep the locked part short: every change to a lot is a compare-and-set on its
 * remaining points, so a lot another transaction touched meanwhile is skipped or read again.
 */
export async function readSpendableLots(m: EntityManager, memberId: number): Promise<PointsLot[]> {
  // plain SQL: this read is on the exchange's hot path, where entity hydration was a visible share of the CPU
  const rows: Record<string, unknown>[] = await m.query(
    `SELECT id, ledgerId, points, remaining, expiresAt, createdAt FROM points_lot WHERE memberId = ? AND remaining > 0 ORDER BY expiresAt, id LIMIT ${LOT_PAGE}`,
    [memberId],
  );
  return rows.map((r) => Object.assign(new PointsLot(), { id: Number(r.id), memberId, ledgerId: Number(r.ledgerId), points: Number(r.points), remaining: Number(r.remaining), expiresAt: fromSqlDate(r.expiresAt as Date | string), createdAt: fromSqlDate(r.createdAt as Date | string) }));
}

/**
 * lockMember and a read of the member in one statement (SELECT … FOR UPDATE) for the hot spend paths.
 * SQLite has no row locks and needs none: its transactions already run one at a time.
 */
export async function lockAndReadMember(m: EntityManager, memberId: number): Promise<Pick<Member, "id" | "tierCode" | "pointsBalance">> {
  const lock = m.connection.options.type === "better-sqlite3" ? "" : " FOR UPDATE";
  const [row] = (await m.query(`SELECT id, tierCode, pointsBalance FROM member WHERE id = ?${lock}`, [memberId])) as { id: number; tierCode: string; pointsBalance: number }[];
  if (!row) throw notFound("会员");
  return { id: Number(row.id), tierCode: row.tierCode, pointsBalance: Number(row.pointsBalance) };
}

async function balanceOf(m: EntityManager, memberId: number): Promise<number> {
  const row = await m.findOne(Member, { where: { id: memberId }, select: { id: true, pointsBalance: true } });
  return row?.pointsBalance ?? 0;
}

/** Appends the ledger row; `balanceAfter` when the caller already knows it under the member lock, else it is read. */
async function appendLedger(m: EntityManager, change: PointsChange, delta: number, shortfall = 0, balanceAfter?: number): Promise<PointsLedger> {
  const entry = m.create(PointsLedger, {
    memberId: change.memberId,
    delta,
    balanceAfter: balanceAfter ?? (await balanceOf(m, change.memberId)),
    reason: change.reason,
    reasonText: change.reasonText,
    refType: change.refType ?? null,
    refId: change.refId ?? null,
    idempotencyKey: change.idempotencyKey,
    shortfall,
    staffId: change.staffId ?? null,
    createdAt: new Date(),
  });
  // insert, not save: save's change tracking runs while the member lock is held
  const { identifiers } = await m.insert(PointsLedger, entry);
  entry.id = Number(identifiers[0].id);
  return entry;
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

/**
 * The hot spend path (a points exchange): the guarded decrement itself takes the member's row lock — no
 * SELECT … FOR UPDATE before it — and checks the tier when only some tiers may spend; the ledger row
 * reads the balance it leaves in its own INSERT. Same rules and lock order as spendPoints. Returns null,
 * having changed nothing, when it cannot decide alone (due lots to expire first, a tier not allowed, not
 * enough points, no such member): the caller then locks the member and takes spendPoints, which answers
 * with the right error.
 */
export async function trySpendPoints(m: EntityManager, change: PointsChange, known: { lots: PointsLot[]; tierCodes: string[] | null; now: Date }): Promise<{ id: number; balanceAfter: number } | null> {
  const { lots, tierCodes, now } = known;
  if (lots.some((lot) => lot.expiresAt <= now)) return null;
  const tierGuard = tierCodes ? ` AND tierCode IN (${tierCodes.map(() => "?").join(", ")})` : "";
  const spent = await execute(m, `UPDATE member SET pointsBalance = pointsBalance - ? WHERE id = ? AND pointsBalance >= ?${tierGuard}`, [change.points, change.memberId, change.points, ...(tierCodes ?? [])]);
  if (spent === 0) return null;
  await consumeLots(m, change.memberId, change.points, undefined, lots);
  const values = [-change.points, change.reason, change.reasonText, change.refType ?? null, change.refId ?? null, change.idempotencyKey, change.staffId ?? null, sqlDate(m, now), change.memberId];
  const insert = `INSERT INTO points_ledger (memberId, delta, balanceAfter, reason, reasonText, refType, refId, idempotencyKey, shortfall, staffId, createdAt)
    SELECT id, ?, pointsBalance, ?, ?, ?, ?, ?, 0, ?, ? FROM member WHERE id = ?`;
  if (hasInsertReturning(m)) {
    const [row] = (await m.query(`${insert} RETURNING id, balanceAfter`, values)) as { id: number; balanceAfter: number }[];
    return { id: Number(row.id), balanceAfter: Number(row.balanceAfter) };
  }
  const entry = await appendLedger(m, change, -change.points); // MySQL: the balance is read under the lock
  return { id: entry.id, balanceAfter: entry.balanceAfter };
}

/** Takes `points` out of the member's lots, earliest expiry first (a preferred lot first when given). */
async function consumeLots(m: EntityManager, memberId: number, points: number, preferLedgerId?: number, prefetched?: PointsLot[]): Promise<void> {
  let need = points;
  let first = prefetched?.length ? prefetched : undefined; // an empty page read before the lock proves nothing
  while (need > 0) {
    const lots = first ?? (await m.find(PointsLot, { where: { memberId, remaining: MoreThan(0) }, order: { expiresAt: "ASC", id: "ASC" }, take: LOT_PAGE }));
    first = undefined;
    if (lots.length === 0) throw new Error(`member ${memberId}: lots hold less than the balance`);
    lots.sort((a, b) => Number(b.ledgerId === preferLedgerId) - Number(a.ledgerId === preferLedgerId));
    for (const lot of lots) {
      const take = Math.min(lot.remaining, need);
      const taken = await execute(m, "UPDATE points_lot SET remaining = remaining - ? WHERE id = ? AND remaining >= ?", [take, lot.id, take]);
      if (taken === 1) need -= take;
      if (need === 0) break;
    }
  }
}

/**
 * Spends points: due lots expire first, then a guarded decrement (never below zero), then the lots,
 * earliest expiry first. One read of the lots serves both steps. The caller holds the member lock;
 * `balanceBefore`, when it read the member under that lock, saves reading the balance again, and
 * `lots` may come from readSpendableLots before the lock.
 */
export async function spendPoints(m: EntityManager, change: PointsChange, known: { balanceBefore?: number; lots?: PointsLot[] } = {}): Promise<PointsLedger> {
  const now = new Date();
  const { balanceBefore } = known;
  const lots = known.lots ?? (await readSpendableLots(m, change.memberId));
  const due = lots.filter((lot) => lot.expiresAt <= now);
  // a full page of due lots may hide more: then expire them all the slow way and read the lots afresh
  const expired = due.length === LOT_PAGE ? await expireDueLots(m, change.memberId, now) : await expireLots(m, change.memberId, due);
  const spendable = due.length === LOT_PAGE ? undefined : lots.filter((lot) => lot.expiresAt > now);
  const spent = await execute(m, "UPDATE member SET pointsBalance = pointsBalance - ? WHERE id = ? AND pointsBalance >= ?", [change.points, change.memberId, change.points]);
  if (spent === 0) {
    throw new AppError("POINTS_INSUFFICIENT", `积分不足，需要 ${change.points} 积分`, { required: change.points, balance: await balanceOf(m, change.memberId) });
  }
  await consumeLots(m, change.memberId, change.points, undefined, spendable);
  return appendLedger(m, change, -change.points, 0, balanceBefore === undefined ? undefined : balanceBefore - expired - change.points);
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
  return expireLots(m, memberId, due);
}

/** Expires the given due lots (compare-and-set on each lot's remaining points); returns the points expired. */
async function expireLots(m: EntityManager, memberId: number, due: PointsLot[]): Promise<number> {
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

/** The member's points history, newest first, each row with the reason they read. */
export async function listLedger(m: EntityManager, memberId: number, page: number, pageSize: number) {
  const [rows, total] = await m.findAndCount(PointsLedger, { where: { memberId }, order: { id: "DESC" }, skip: (page - 1) * pageSize, take: pageSize });
  const items = rows.map((r) => ({ id: r.id, delta: r.delta, balanceAfter: r.balanceAfter, reason: r.reason, reasonText: r.reasonText, shortfall: r.shortfall, createdAt: r.createdAt.toISOString() }));
  return { total, page, pageSize, items };
}

/** What the member's points lots still hold, summed per Shanghai expiry date, soonest first (at most `days` dates). */
export async function expiringLots(m: EntityManager, memberId: number, now: Date, days = 12) {
  const lots = await m.find(PointsLot, { where: { memberId, remaining: MoreThan(0), expiresAt: MoreThan(now) }, order: { expiresAt: "ASC" }, select: { remaining: true, expiresAt: true } });
  const byDate = new Map<string, number>();
  for (const lot of lots) byDate.set(todayInShanghai(lot.expiresAt), (byDate.get(todayInShanghai(lot.expiresAt)) ?? 0) + lot.remaining);
  return { items: [...byDate].slice(0, days).map(([expiresOn, points]) => ({ expiresOn, points })) };
}
