import type { EntityManager } from "typeorm";
import type { StaffPrincipal } from "../http/context.js";
import { whereStaffMaySee } from "./access.js";
import { Complaint } from "./complaints.entity.js";
import type { StaffComplaintQuery } from "./complaints.schema.js";
import { staffViews, toMemberView, type SlaState } from "./views.js";

const PAUSABLE = "c.status = 'waiting'";
const DONE = "c.status IN ('resolved', 'closed')";
const RUNNING = "c.status NOT IN ('resolved', 'closed', 'waiting')";
/** the clock of a complaint that waits for the customer stands at its pause */
const CLOCK = "COALESCE(c.pausedAt, :now)";
/** a stage breached, the same rule as slaOf: not done past its due, or done late (null-safe: it is negated below) */
const late = (done: string, due: string) => `(${done} IS NOT NULL AND ${done} > ${due})`;
const OVERDUE = `((c.firstRespondedAt IS NULL AND c.firstResponseDueAt < ${CLOCK}) OR ${late("c.firstRespondedAt", "c.firstResponseDueAt")}
  OR (c.resolvedAt IS NULL AND c.resolutionDueAt < ${CLOCK}) OR ${late("c.resolvedAt", "c.resolutionDueAt")}
  OR (c.escalationDueAt IS NOT NULL AND ((c.escalatedAt IS NULL AND c.escalationDueAt < :now) OR ${late("c.escalatedAt", "c.escalationDueAt")})))`;
const WARNED = "((c.firstRespondedAt IS NULL AND c.firstResponseWarnAt <= :now) OR c.resolutionWarnAt <= :now)";

/** SQL for each SLA state, the same rules as slaOf. */
const SLA_FILTERS: Record<SlaState, string> = {
  breached: OVERDUE,
  paused: `${PAUSABLE} AND NOT ${OVERDUE}`,
  warning: `${RUNNING} AND NOT ${OVERDUE} AND ${WARNED}`,
  on_track: `${RUNNING} AND NOT ${OVERDUE} AND NOT ${WARNED}`,
  met: `${DONE} AND NOT ${OVERDUE}`,
};

/** Staff's complaint list: what they may see, filtered and paged, most urgent first within the filter (oldest received). */
export async function listForStaff(m: EntityManager, staff: StaffPrincipal, q: StaffComplaintQuery, now: Date) {
  const qb = whereStaffMaySee(m.createQueryBuilder(Complaint, "c"), staff);
  if (q.status) qb.andWhere("c.status = :status", { status: q.status });
  if (q.storeId) qb.andWhere("c.storeId = :storeId", { storeId: q.storeId });
  if (q.team) qb.andWhere("c.team = :team", { team: q.team });
  if (q.category) qb.andWhere("c.category = :category", { category: q.category });
  if (q.severity) qb.andWhere("c.severity = :severity", { severity: q.severity });
  if (q.channel) qb.andWhere("c.channel = :channel", { channel: q.channel });
  if (q.owner === "me") qb.andWhere("c.ownerStaffId = :me", { me: staff.id });
  else if (q.owner === "none") qb.andWhere("c.ownerStaffId IS NULL");
  else if (q.ownerStaffId) qb.andWhere("c.ownerStaffId = :ownerStaffId", { ownerStaffId: q.ownerStaffId });
  if (q.slaState) qb.andWhere(`(${SLA_FILTERS[q.slaState]})`, { now });
  if (q.returnVisit) qb.andWhere("c.returnVisitStatus = :rv", { rv: q.returnVisit });
  if (q.approval) qb.andWhere("c.approvalStatus = :approval", { approval: q.approval });
  if (q.from) qb.andWhere("c.receivedAt >= :from", { from: new Date(q.from) });
  if (q.to) qb.andWhere("c.receivedAt < :to", { to: new Date(q.to) });
  const [rows, total] = await qb.orderBy("c.receivedAt", "ASC").addOrderBy("c.id", "ASC").skip((q.page - 1) * q.pageSize).take(q.pageSize).getManyAndCount();
  return { items: await staffViews(m, staff, rows, now), total, page: q.page, pageSize: q.pageSize };
}

/** The member's own complaints, newest first. */
export async function listForMember(m: EntityManager, memberId: number, page: number, pageSize: number, surveyDays: number, now: Date) {
  const [rows, total] = await m.findAndCount(Complaint, { where: { memberId }, order: { receivedAt: "DESC", id: "DESC" }, skip: (page - 1) * pageSize, take: pageSize });
  return { items: rows.map((c) => toMemberView(c, surveyDays, now)), total, page, pageSize };
}
