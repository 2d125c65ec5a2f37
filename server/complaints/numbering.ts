import type { EntityManager } from "typeorm";
import { updateElseInsert } from "../db/sql.js";
import { todayInShanghai } from "../http/time.js";

/**
 * The next complaint number of the Shanghai day, TS20261124-0007, from that day's counter row: the
 * guarded increment holds the row until the caller's transaction commits, so parallel intakes never
 * share a number (and the unique index on complaint.number would refuse one that did).
 */
export async function nextComplaintNumber(m: EntityManager, now: Date): Promise<string> {
  const day = todayInShanghai(now).replaceAll("-", "");
  await updateElseInsert(m, "UPDATE complaint_counter SET last = last + 1 WHERE day = ?", [day], "complaint_counter", { day, last: 1 });
  const [row] = (await m.query("SELECT last FROM complaint_counter WHERE day = ?", [day])) as { last: number }[];
  return `TS${day}-${String(Number(row.last)).padStart(4, "0")}`;
}
