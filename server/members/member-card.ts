import type { EntityManager } from "typeorm";
import { addDays, addMonths } from "../http/time.js";
import { EARNING_REASONS } from "../points/points.service.js";
import type { Member } from "./members.entity.js";

const EXPIRY_WINDOW_DAYS = 30;

// The card is the most read page: one plain statement, no query builder or entity hydration (they were
// a third of its CPU). Portable between MariaDB/MySQL and SQLite; the birthday is cast to its
// 'YYYY-MM-DD' text on both.
const EXPIRING = "FROM points_lot lot WHERE lot.memberId = m.id AND lot.remaining > 0 AND lot.expiresAt <= ?";
const CARD_SQL = `SELECT m.id, m.nickname, m.phone, CAST(m.birthday AS CHAR(10)) AS birthday, m.gender, m.memberCode, m.storeId, m.assetCount,
  m.pointsBalance, m.tierCode, m.createdAt,
  (SELECT COALESCE(SUM(l.delta), 0) FROM points_ledger l WHERE l.memberId = m.id AND l.reason IN (${EARNING_REASONS.map(() => "?").join(", ")}) AND l.createdAt > ?) AS earned,
  (SELECT COALESCE(SUM(lot.remaining), 0) ${EXPIRING}) AS expiringPoints,
  (SELECT MIN(lot.expiresAt) ${EXPIRING}) AS firstExpiry
FROM member m WHERE m.id = ?`;

type CardMember = Pick<Member, "id" | "nickname" | "phone" | "birthday" | "gender" | "memberCode" | "storeId" | "assetCount" | "pointsBalance" | "tierCode" | "createdAt">;

/** A DATETIME as the drivers return it from a raw query: a Date (mysql2) or a UTC text (SQLite). */
function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value.replace(" ", "T") + "Z");
}

/**
 * The member with what the card derives from the ledger: points earned in the last 12 months
 * (purchases, actions, minus voids — what tiers are reached on, as earnedSince counts) and the points
 * expiring within 30 days with the first date they do.
 */
export async function readMemberCard(m: EntityManager, memberId: number, now: Date) {
  // SQLite stores DATETIME as UTC text, as TypeORM writes it; mysql2 sends a Date in the pool's time zone (UTC)
  const sqlite = m.connection.options.type === "better-sqlite3";
  const param = (d: Date) => (sqlite ? d.toISOString().replace("T", " ").replace("Z", "") : d);
  const until = param(addDays(now, EXPIRY_WINDOW_DAYS));
  const rows: Record<string, unknown>[] = await m.query(CARD_SQL, [...EARNING_REASONS, param(addMonths(now, -12)), until, until, memberId]);
  const row = rows[0];
  if (!row) return null;
  const member: CardMember = {
    id: Number(row.id),
    nickname: row.nickname as string,
    phone: (row.phone as string | null) ?? null,
    birthday: (row.birthday as string | null) ?? null,
    gender: row.gender as Member["gender"],
    memberCode: row.memberCode as string,
    storeId: Number(row.storeId),
    assetCount: Number(row.assetCount),
    pointsBalance: Number(row.pointsBalance),
    tierCode: row.tierCode as string,
    createdAt: toDate(row.createdAt as Date | string),
  };
  const firstExpiry = row.firstExpiry as Date | string | null;
  return { member, earned: Number(row.earned), expiringPoints: Number(row.expiringPoints), firstExpiresAt: firstExpiry === null ? null : toDate(firstExpiry).toISOString() };
}
