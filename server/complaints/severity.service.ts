import type { EntityManager } from "typeorm";
import type { ComplaintsConfig } from "../config.js";
import { execute, insertIgnore, sqlDate } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { complaintForStaff } from "./access.js";
import { Complaint } from "./complaints.entity.js";
import { recordEvent, type Actor } from "./events.js";
import { complaintVars, shortTime, storeManagers, tellStaff } from "./notices.js";
import { majorReasonName } from "./severity.js";
import { dueTimes, slaClockFor, slaHours } from "./sla.js";

/**
 * Makes a complaint major: the major SLA from its receipt (never later than what it had), an
 * escalation report due within the configured hours, and every manager of the store alerted at once.
 */
export async function raiseMajor(m: EntityManager, config: ComplaintsConfig, c: Complaint, reasons: string[], actor: Actor, now: Date): Promise<Complaint> {
  const known = c.majorReasons ? c.majorReasons.split(",") : [];
  const merged = [...new Set([...known, ...reasons])].join(",").slice(0, 200);
  const clock = await slaClockFor(m, config, c.storeId);
  const major = await dueTimes(clock, slaHours(config, c.category, "major"), c.receivedAt);
  const earlier = (a: Date, b: Date) => (a < b ? a : b);
  const escalationDueAt = c.escalationDueAt ?? new Date(now.getTime() + config.escalationHours * 3_600_000);
  await execute(m, "UPDATE complaint SET severity = 'major', majorReasons = ?, escalationDueAt = ?, firstResponseDueAt = ?, firstResponseWarnAt = ?, resolutionDueAt = ?, resolutionWarnAt = ?, updatedAt = ? WHERE id = ?", [
    merged, sqlDate(m, escalationDueAt),
    sqlDate(m, earlier(c.firstResponseDueAt, major.firstResponseDueAt)), sqlDate(m, earlier(c.firstResponseWarnAt, major.firstResponseWarnAt)),
    sqlDate(m, earlier(c.resolutionDueAt, major.resolutionDueAt)), sqlDate(m, earlier(c.resolutionWarnAt, major.resolutionWarnAt)), sqlDate(m, now), c.id,
  ]);
  await recordEvent(m, c.id, "marked_major", actor, now, { detail: { reasons } });
  const updated = await m.findOneByOrFail(Complaint, { id: c.id });
  if (c.severity !== "major") {
    const vars = { ...(await complaintVars(m, updated)), reasons: merged.split(",").map(majorReasonName).join("；"), due: shortTime(escalationDueAt) };
    for (const managerId of await storeManagers(m, updated)) await tellStaff(m, managerId, c.storeId, { kind: "complaint_major", vars, dedupeKey: `cmp:${c.id}:major:${managerId}` }, now);
  }
  return updated;
}

/** A staff member marks a complaint major (门店认定的重大投诉), with the reason. */
export async function flagMajor(m: EntityManager, config: ComplaintsConfig, staff: StaffPrincipal, id: number, reason: string, now: Date) {
  const c = await complaintForStaff(m, staff, id);
  if (c.status === "closed") throw new AppError("COMPLAINT_STATUS_CONFLICT", "已关闭的投诉不能再标记", { status: c.status });
  return raiseMajor(m, config, c, [`flag:${reason}`], { type: "staff", id: staff.id }, now);
}

export interface EscalationReport {
  summary: string;
  risk: string;
  plan: string;
}

/** A manager files a major complaint's escalation report (预警报备: summary, risk, plan), once. */
export async function fileEscalation(m: EntityManager, staff: StaffPrincipal, id: number, report: EscalationReport, now: Date) {
  const c = await complaintForStaff(m, staff, id);
  if (c.severity !== "major") throw new AppError("COMPLAINT_NOT_MAJOR", "只有重大投诉需要预警报备");
  const filed = await insertIgnore(m, "complaint_report", { complaintId: c.id, kind: "escalation", body: JSON.stringify(report), staffId: staff.id, createdAt: now });
  if (!filed) throw new AppError("COMPLAINT_REPORT_EXISTS", "预警报备已提交");
  await execute(m, "UPDATE complaint SET escalatedAt = ?, updatedAt = ? WHERE id = ?", [sqlDate(m, now), sqlDate(m, now), c.id]);
  await recordEvent(m, c.id, "escalated", { type: "staff", id: staff.id }, now, { detail: { onTime: c.escalationDueAt === null || now <= c.escalationDueAt } });
}
