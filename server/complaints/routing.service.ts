import type { EntityManager } from "typeorm";
import { execute, sqlDate, updateElseInsert } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { StaffAccount } from "../staff/staff.entity.js";
import { canStaffSee, complaintForStaff, assertMayAct } from "./access.js";
import { OPEN_STATUSES, type Team } from "./categories.js";
import { AgentDuty, Complaint } from "./complaints.entity.js";
import { recordEvent, transition, type Actor } from "./events.js";
import { complaintVars, shortTime, tellStaff } from "./notices.js";

const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(", ");

/**
 * The agent a new complaint goes to: on duty, in the category's team and the complaint's store, not
 * the accused; fewest open complaints first, then the one idle longest (never assigned first).
 */
export async function pickAgent(m: EntityManager, c: Pick<Complaint, "storeId" | "team" | "accusedStaffId">): Promise<number | null> {
  const rows = (await m.query(
    `SELECT d.staffId AS staffId FROM agent_duty d JOIN staff_account s ON s.id = d.staffId
      WHERE d.onDuty = ? AND d.team = ? AND s.storeId = ? AND s.disabled = ? AND d.staffId <> ?
      ORDER BY (SELECT COUNT(*) FROM complaint o WHERE o.ownerStaffId = d.staffId AND o.status IN (${OPEN_LIST})) ASC,
               CASE WHEN d.lastAssignedAt IS NULL THEN 0 ELSE 1 END ASC, d.lastAssignedAt ASC, d.staffId ASC
      LIMIT 1`,
    [true, c.team, c.storeId, false, c.accusedStaffId ?? 0],
  )) as { staffId: number }[];
  return rows.length ? Number(rows[0].staffId) : null;
}

/** Gives an unowned complaint to a staff member (received → assigned), tells them unless it was their own doing, and marks them busy for the idle rule. */
export async function assignComplaint(m: EntityManager, c: Complaint, staffId: number, actor: Actor, rule: string, now: Date): Promise<void> {
  await transition(m, c.id, ["received"], "assigned", { ownerStaffId: staffId, assignedAt: now }, { type: "assigned", actor, now, fromStatus: c.status, detail: { toOwner: staffId, rule }, guard: { sql: "ownerStaffId IS NULL", params: [] } });
  await execute(m, "UPDATE agent_duty SET lastAssignedAt = ? WHERE staffId = ?", [sqlDate(m, now), staffId]);
  if (actor.type === "staff" && actor.id === staffId) return; // they took it in or took it themselves
  await tellStaff(m, staffId, c.storeId, { kind: "complaint_assigned", vars: { ...(await complaintVars(m, c)), due: shortTime(c.firstResponseDueAt) }, dedupeKey: `cmp:${c.id}:owner:${staffId}:${now.getTime()}` }, now);
}

/** Member intake and forwarded complaints: the on-duty agent the rules pick, or the team's queue. */
export async function routeComplaint(m: EntityManager, c: Complaint, now: Date): Promise<number | null> {
  const agent = await pickAgent(m, c);
  if (agent !== null) await assignComplaint(m, c, agent, { type: "system", id: null }, "fewest_open", now);
  return agent;
}

/** An agent takes a complaint from the queue: the one named, or the oldest of their store and team. Each complaint is taken once. */
export async function takeFromQueue(m: EntityManager, staff: StaffPrincipal, now: Date, complaintId?: number): Promise<Complaint> {
  if (complaintId !== undefined) {
    const c = await complaintForStaff(m, staff, complaintId);
    if (c.status !== "received") throw new AppError("COMPLAINT_STATUS_CONFLICT", "该投诉已被认领", { status: c.status });
    await assignComplaint(m, c, staff.id, { type: "staff", id: staff.id }, "taken", now);
    return complaintForStaff(m, staff, complaintId);
  }
  const duty = await m.findOneBy(AgentDuty, { staffId: staff.id });
  const qb = m.createQueryBuilder(Complaint, "c").where("c.status = 'received' AND c.ownerStaffId IS NULL").andWhere("(c.accusedStaffId IS NULL OR c.accusedStaffId <> :me)", { me: staff.id });
  if (staff.storeId !== null) qb.andWhere("c.storeId = :storeId", { storeId: staff.storeId });
  if (duty) qb.andWhere("c.team = :team", { team: duty.team });
  // parallel takers race for the oldest: a lost compare-and-set means another taker has it, so move on;
  // a batch all taken by others is read again, and the queue shrinks with every loss, so this ends
  for (;;) {
    const batch = (await qb.orderBy("c.receivedAt", "ASC").addOrderBy("c.id", "ASC").take(20).getMany()).filter((c) => canStaffSee(staff, c));
    if (batch.length === 0) throw new AppError("COMPLAINT_QUEUE_EMPTY", "队列中暂无待认领的投诉");
    for (const c of batch) {
      const won = await execute(m, "UPDATE complaint SET ownerStaffId = ?, status = 'assigned', assignedAt = ?, updatedAt = ? WHERE id = ? AND status = 'received' AND ownerStaffId IS NULL", [
        staff.id, sqlDate(m, now), sqlDate(m, now), c.id,
      ]);
      if (won !== 1) continue;
      await recordEvent(m, c.id, "assigned", { type: "staff", id: staff.id }, now, { from: "received", to: "assigned", detail: { toOwner: staff.id, rule: "taken" } });
      await execute(m, "UPDATE agent_duty SET lastAssignedAt = ? WHERE staffId = ?", [sqlDate(m, now), staff.id]);
      return complaintForStaff(m, staff, c.id);
    }
  }
}

/** Hands a complaint over to another staff member (the owner, or a manager stepping in); the history keeps both owners. */
export async function handOver(m: EntityManager, staff: StaffPrincipal, id: number, body: { toStaffId: number; note?: string }, now: Date): Promise<void> {
  const c = await complaintForStaff(m, staff, id);
  assertMayAct(staff, c);
  if (["resolved", "closed"].includes(c.status)) throw new AppError("COMPLAINT_STATUS_CONFLICT", "已解决或已关闭的投诉不能转交", { status: c.status });
  if (body.toStaffId === c.accusedStaffId) throw new AppError("COMPLAINT_ACCUSED_EXCLUDED", "不能转交给被投诉的员工本人");
  const target = await m.findOneBy(StaffAccount, { id: body.toStaffId, disabled: false });
  if (!target || (target.storeId !== null && target.storeId !== c.storeId)) throw new AppError("COMPLAINT_STAFF_UNKNOWN", "接收人不存在或不属于该门店", { toStaffId: body.toStaffId });
  if (target.id === c.ownerStaffId) throw new AppError("COMPLAINT_STATUS_CONFLICT", "该员工已是当前处理人");
  const to = c.status === "received" ? "assigned" : c.status;
  await transition(m, c.id, [c.status], to, { ownerStaffId: target.id, assignedAt: now }, {
    type: "handed_over", actor: { type: "staff", id: staff.id }, now, fromStatus: c.status, detail: { fromOwner: c.ownerStaffId, toOwner: target.id, note: body.note ?? null },
    guard: c.ownerStaffId === null ? { sql: "ownerStaffId IS NULL", params: [] } : { sql: "ownerStaffId = ?", params: [c.ownerStaffId] },
  });
  await tellStaff(m, target.id, c.storeId, { kind: "complaint_assigned", vars: { ...(await complaintVars(m, c)), due: shortTime(c.firstRespondedAt ? c.resolutionDueAt : c.firstResponseDueAt) }, dedupeKey: `cmp:${c.id}:owner:${target.id}:${now.getTime()}` }, now);
}

/** An agent switches their own duty on or off, and says which team they serve. */
export async function setDuty(m: EntityManager, staff: StaffPrincipal, body: { onDuty: boolean; team?: Team }, now: Date) {
  const existing = await m.findOneBy(AgentDuty, { staffId: staff.id });
  const team = body.team ?? existing?.team ?? "service";
  await updateElseInsert(m, "UPDATE agent_duty SET onDuty = ?, team = ?, updatedAt = ? WHERE staffId = ?", [body.onDuty, team, sqlDate(m, now), staff.id], "agent_duty", { staffId: staff.id, team, onDuty: body.onDuty, lastAssignedAt: null, updatedAt: now });
  return dutyOf(m, staff.id);
}

export async function dutyOf(m: EntityManager, staffId: number) {
  const duty = await m.findOneBy(AgentDuty, { staffId });
  const open = await m.createQueryBuilder(Complaint, "c").where(`c.ownerStaffId = :staffId AND c.status IN (${OPEN_LIST})`, { staffId }).getCount();
  return { onDuty: duty?.onDuty ?? false, team: duty?.team ?? null, openComplaints: open, lastAssignedAt: duty?.lastAssignedAt?.toISOString() ?? null };
}
