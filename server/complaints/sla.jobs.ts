import type { EntityManager } from "typeorm";
import type { Database } from "../db/database.js";
import { execute, sqlDate } from "../db/sql.js";
import { Store } from "../stores/stores.entity.js";
import { Complaint } from "./complaints.entity.js";
import { staffSignature } from "./events.js";
import { complaintVars, shortTime, storeManagers, tellStaff } from "./notices.js";

/** the clock runs: first response and resolution count (waiting for the customer pauses them) */
const RUNNING = "status IN ('received', 'assigned', 'responded', 'reopened')";
/** not resolved or closed: the escalation report is the store's duty, the customer's silence does not pause it */
const OPEN = "status IN ('received', 'assigned', 'responded', 'waiting', 'reopened')";
const BATCH = 200;

type Flag = "first_warn" | "first_breach" | "resolution_warn" | "resolution_breach" | "escalation_breach";
type DueColumn = "firstResponseDueAt" | "resolutionDueAt" | "escalationDueAt";

interface Check {
  flag: Flag;
  breach: boolean;
  /** what staff read: 投诉 … 的{stage}时限 */
  stage: string;
  due: DueColumn;
  /** when it applies, with `?` for now (as many as `nows`) */
  sql: string;
  nows: number;
}

/** Each warning and breach the job raises once; a warning only before its due (past it, the breach says it all). */
const CHECKS: Check[] = [
  { flag: "first_warn", breach: false, stage: "首次答复", due: "firstResponseDueAt", sql: `${RUNNING} AND firstRespondedAt IS NULL AND firstResponseWarnAt <= ? AND firstResponseDueAt >= ?`, nows: 2 },
  { flag: "first_breach", breach: true, stage: "首次答复", due: "firstResponseDueAt", sql: `${RUNNING} AND firstRespondedAt IS NULL AND firstResponseDueAt < ?`, nows: 1 },
  { flag: "resolution_warn", breach: false, stage: "处理完成", due: "resolutionDueAt", sql: `${RUNNING} AND resolutionWarnAt <= ? AND resolutionDueAt >= ?`, nows: 2 },
  { flag: "resolution_breach", breach: true, stage: "处理完成", due: "resolutionDueAt", sql: `${RUNNING} AND resolutionDueAt < ?`, nows: 1 },
  { flag: "escalation_breach", breach: true, stage: "重大投诉预警报备", due: "escalationDueAt", sql: `${OPEN} AND escalationDueAt IS NOT NULL AND escalatedAt IS NULL AND escalationDueAt < ?`, nows: 1 },
];

// flags are comma separated (CONCAT: MariaDB reads || as OR; SQLite ≥ 3.44 has CONCAT): ",a,b," contains ",flag," exactly when the flag was raised
const NOT_RAISED = "CONCAT(',', slaFlags, ',') NOT LIKE ?";
const notRaised = (flag: Flag) => `%,${flag},%`;
const whenDue = (c: Check) => `(${c.sql} AND ${NOT_RAISED})`;
const paramsOf = (m: EntityManager, c: Check, now: Date) => [...Array<Date | string>(c.nows).fill(sqlDate(m, now)), notRaised(c.flag)];

/**
 * Every 5 minutes: warns the owner (the store's managers while it sits in the queue) at 80 % of the
 * first response and the resolution, and alerts the store's managers on a breach, an unfiled escalation
 * report included. Each is raised once: its flag is added by a compare-and-set UPDATE in the
 * transaction of its messages. Candidates are read store by store through the (storeId, status) index,
 * so only open complaints are looked at, in batches.
 */
export async function checkComplaintSla(db: Database, now: Date): Promise<{ warned: number; breached: number }> {
  const counts = { warned: 0, breached: 0 };
  const stores = await db.read((m) => m.find(Store, { select: { id: true }, order: { id: "ASC" } }));
  for (const { id: storeId } of stores) {
    for (let after = 0; ; ) {
      const batch = await db.read((m) => candidates(m, storeId, after, now));
      for (const id of batch) {
        const raised = await db.tx((m) => raiseDue(m, id, now));
        for (const check of raised) counts[check.breach ? "breached" : "warned"]++;
      }
      if (batch.length < BATCH) break;
      after = batch[batch.length - 1];
    }
  }
  return counts;
}

/** Ids of a store's open complaints with at least one warning or breach due and not yet raised, after `after`. */
async function candidates(m: EntityManager, storeId: number, after: number, now: Date): Promise<number[]> {
  const rows = (await m.query(
    `SELECT id FROM complaint WHERE storeId = ? AND ${OPEN} AND id > ? AND (${CHECKS.map(whenDue).join(" OR ")}) ORDER BY id LIMIT ${BATCH}`,
    [storeId, after, ...CHECKS.flatMap((c) => paramsOf(m, c, now))],
  )) as { id: number }[];
  return rows.map((r) => Number(r.id));
}

/** a reopened complaint's resolution is measured again (aftercare clears its resolution flags): its messages need keys of their own */
const round = (c: Complaint, check: Check) => (check.flag.startsWith("resolution_") && c.reopenCount > 0 ? `:reopen${c.reopenCount}` : "");

/**
 * Raises what is due on one complaint: each flag by compare-and-set (still due, not raised yet), its
 * messages with it. The row is read after the first flag is won, under that UPDATE's lock: a hand-over
 * since the scan warns the new owner.
 */
async function raiseDue(m: EntityManager, id: number, now: Date): Promise<Check[]> {
  const raised: Check[] = [];
  let c: Complaint | null = null;
  let managers: number[] = [];
  let vars: Awaited<ReturnType<typeof complaintVars>> | null = null;
  for (const check of CHECKS) {
    const won = await execute(
      m,
      `UPDATE complaint SET slaFlags = CASE WHEN slaFlags = '' THEN ? ELSE CONCAT(slaFlags, ',', ?) END WHERE id = ? AND ${whenDue(check)}`,
      [check.flag, check.flag, id, ...paramsOf(m, check, now)],
    );
    if (won !== 1) continue;
    raised.push(check);
    if (!c) {
      c = await m.findOneByOrFail(Complaint, { id });
      managers = await storeManagers(m, c);
      vars = await complaintVars(m, c);
    }
    const owner = c.ownerStaffId;
    // a warning goes to whoever works on it; in the queue nobody does yet, so the managers hear it
    const to = !check.breach && owner !== null ? [owner] : managers;
    for (const staffId of to) {
      await tellStaff(m, staffId, c.storeId, {
        kind: check.breach ? "complaint_sla_breach" : "complaint_sla_warning",
        vars: { ...vars!, stage: check.stage, due: shortTime(c[check.due] ?? now), ...(check.breach ? { owner: owner === null ? "无人认领" : staffSignature(owner) } : {}) },
        dedupeKey: `cmp:${c.id}:sla:${check.flag}${round(c, check)}:${staffId}`,
      }, now);
    }
  }
  return raised;
}
