import type { EntityManager } from "typeorm";
import { periodOf, type StatsPeriod } from "../complaints/stats.service.js";
import { sqlDate } from "../db/sql.js";
import { assertStoreScope } from "../http/auth.js";
import type { StaffPrincipal } from "../http/context.js";

/** The store a report covers: the one asked for (if the staff member may see it), else a store-bound manager's own, else every store (null). */
export function storeOfReport(staff: StaffPrincipal, storeId: number | undefined): number | null {
  if (storeId !== undefined) assertStoreScope(staff, storeId);
  return storeId ?? staff.storeId;
}

/** SQL for the Shanghai calendar day (YYYY-MM-DD text) of a UTC DATETIME column, on SQLite and MySQL/MariaDB. */
export function shanghaiDay(m: EntityManager, column: string): string {
  return m.connection.options.type === "better-sqlite3" ? `strftime('%Y-%m-%d', ${column}, '+8 hours')` : `DATE_FORMAT(DATE_ADD(${column}, INTERVAL 8 HOUR), '%Y-%m-%d')`;
}

/** The period's [startsAt, endsAt) as raw query parameters. */
export const periodParams = (m: EntityManager, p: StatsPeriod) => [sqlDate(m, p.startsAt), sqlDate(m, p.endsAt)];

/** Every calendar day of the period, YYYY-MM-DD, in order. */
export function daysOf(p: StatsPeriod): string[] {
  const days: string[] = [];
  for (let t = Date.parse(`${p.from}T00:00:00Z`); t <= Date.parse(`${p.to}T00:00:00Z`); t += 86_400_000) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

/** 11月3日 */
export const dayLabel = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** The period as reports send it. */
export const periodView = (p: StatsPeriod) => ({ kind: p.kind, key: p.key, label: p.label, from: p.from, to: p.to, startsAt: p.startsAt.toISOString(), endsAt: p.endsAt.toISOString() });

/** part / whole to four decimals; null when there is no whole. */
export const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

export { periodOf };
