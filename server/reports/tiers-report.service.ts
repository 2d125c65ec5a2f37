import type { EntityManager } from "typeorm";
import { sqlDate } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import type { TiersQuery } from "./reports.schema.js";
import { periodOf, periodView, rate, storeOfReport } from "./scope.js";

/** Members by tier now (count and share), and with a period the members who joined in it: one grouped query over the members. */
export async function tiersReport(m: EntityManager, staff: StaffPrincipal, q: TiersQuery, now: Date) {
  if ((q.period === undefined) !== (q.date === undefined)) throw new AppError("VALIDATION_FAILED", "统计周期和日期需要同时提供", { fields: ["period", "date"] });
  const storeId = storeOfReport(staff, q.storeId);
  const period = q.period && q.date ? periodOf(q.period, q.date) : null;
  const joined = period ? "SUM(CASE WHEN mb.createdAt >= ? AND mb.createdAt < ? THEN 1 ELSE 0 END)" : "0";
  const rows: { code: string; name: string; members: string | number; joined: string | number | null }[] = await m.query(
    `SELECT t.code AS code, t.name AS name, COUNT(mb.id) AS members, ${joined} AS joined
       FROM tier t LEFT JOIN member mb ON mb.tierCode = t.code${storeId === null ? "" : " AND mb.storeId = ?"}
      GROUP BY t.code, t.name, t.sortOrder ORDER BY t.sortOrder`,
    [...(period ? [sqlDate(m, period.startsAt), sqlDate(m, period.endsAt)] : []), ...(storeId === null ? [] : [storeId])],
  );
  const total = rows.reduce((s, r) => s + Number(r.members), 0);
  return {
    storeId,
    generatedAt: now.toISOString(),
    total,
    period: period ? periodView(period) : null,
    newMembers: period ? rows.reduce((s, r) => s + Number(r.joined ?? 0), 0) : null,
    tiers: rows.map((r) => ({ code: r.code, name: r.name, count: Number(r.members), share: rate(Number(r.members), total), newMembers: period ? Number(r.joined ?? 0) : null })),
  };
}
export type TiersReport = Awaited<ReturnType<typeof tiersReport>>;
