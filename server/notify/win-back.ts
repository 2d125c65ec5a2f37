import type { Database } from "../db/database.js";
import { fromSqlDate, insertIgnore, sqlDate } from "../db/sql.js";
import { formatYuan } from "../http/money.js";
import { addMonths, todayInShanghai } from "../http/time.js";

/**
 * Monthly: the win-back list (流失客户挽回). Members whose spend over the last 12 months is in the top
 * 20 % of their store and who have not visited (a recorded purchase or a service) for `months` months
 * become call tasks for their store. A list for people to work through, never a mass send.
 */
export async function winBackList(db: Database, months: number, at: Date) {
  const yearAgo = addMonths(at, -12);
  const lapsedBefore = addMonths(at, -months);
  const rows = (await db.read((m) =>
    m.query(
      `SELECT c.memberId, mb.storeId, mb.nickname, SUM(c.amountFen) AS spend,
              GREATEST(MAX(c.createdAt), COALESCE((SELECT MAX(r.completedAt) FROM service_record r WHERE r.memberId = c.memberId), MAX(c.createdAt))) AS lastVisit
         FROM consumption c JOIN member mb ON mb.id = c.memberId
        WHERE c.status = 'recorded' AND c.createdAt >= ?
        GROUP BY c.memberId, mb.storeId, mb.nickname`.replace("GREATEST", m.connection.options.type === "better-sqlite3" ? "MAX" : "GREATEST"),
      [sqlDate(m, yearAgo)],
    ),
  )) as { memberId: number; storeId: number; nickname: string; spend: number | string; lastVisit: Date | string }[];
  const byStore = new Map<number, typeof rows>();
  for (const r of rows) byStore.set(Number(r.storeId), [...(byStore.get(Number(r.storeId)) ?? []), r]);
  const month = todayInShanghai(at).slice(0, 7);
  let listed = 0;
  let created = 0;
  for (const [storeId, members] of byStore) {
    members.sort((a, b) => Number(b.spend) - Number(a.spend));
    const top = members.slice(0, Math.ceil(members.length * 0.2));
    for (const r of top) {
      const lastVisit = fromSqlDate(r.lastVisit);
      if (lastVisit >= lapsedBefore) continue;
      listed++;
      const summary = `近12个月消费 ${formatYuan(Number(r.spend))}，位列本店前 20%，最近一次到店 ${todayInShanghai(lastVisit)}，已超过 ${months} 个月未到店`;
      if (await db.tx((m) => insertIgnore(m, "call_task", { memberId: Number(r.memberId), storeId, messageId: null, reason: "win_back", summary, dedupeKey: `win-back:${r.memberId}:${month}`, status: "open", createdAt: at }))) created++;
    }
  }
  return { listed, created };
}
