import type { EntityManager } from "typeorm";
import type { ComplaintsConfig } from "../config.js";
import { execute, sqlDate } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { assertMayAct, complaintForMember, complaintForStaff } from "./access.js";
import { Complaint } from "./complaints.entity.js";
import { recordEvent, SYSTEM, transition, type Actor } from "./events.js";
import { complaintVars, tellStaff } from "./notices.js";
import type { ReturnVisitBody, SurveyBody } from "./resolution.schema.js";
import { dueTimes, slaClockFor, slaHours } from "./sla.js";
import { toMemberView } from "./views.js";

const DAY_MS = 86_400_000;

/** The instant before which a resolution's survey has closed. */
export const surveyCutoff = (config: ComplaintsConfig, now: Date) => new Date(now.getTime() - config.surveyDays * DAY_MS);

/**
 * The owner (or a manager stepping in) records the return visit after resolution, once: a CAS on
 * returnVisitStatus = 'pending'. A message visit has the outcome "messaged"; a call one of the others.
 */
export async function recordReturnVisit(m: EntityManager, staff: StaffPrincipal, id: number, body: ReturnVisitBody, now: Date): Promise<void> {
  const c = await complaintForStaff(m, staff, id);
  assertMayAct(staff, c);
  if ((body.method === "message") !== (body.outcome === "messaged")) {
    throw new AppError("VALIDATION_FAILED", body.method === "message" ? "消息回访的结果只能是“已发送消息”" : "电话回访的结果应为已联系到客户、无人接听或号码错误", [
      { in: "body", field: "outcome", rule: "method", message: "回访方式与结果不符" },
    ]);
  }
  const changed = await execute(m, "UPDATE complaint SET returnVisitStatus = 'done', returnVisitMethod = ?, returnVisitOutcome = ?, returnVisitNote = ?, returnVisitBy = ?, returnVisitAt = ?, updatedAt = ? WHERE id = ? AND returnVisitStatus = 'pending'", [
    body.method, body.outcome, body.note ?? null, staff.id, sqlDate(m, now), sqlDate(m, now), c.id,
  ]);
  if (changed !== 1) throw new AppError("RETURN_VISIT_NOT_OPEN", c.returnVisitStatus === "done" ? "该投诉已经回访过" : "该投诉尚未解决，暂无回访任务", { returnVisitStatus: c.returnVisitStatus });
  await recordEvent(m, c.id, "return_visit", { type: "staff", id: staff.id }, now, { detail: { method: body.method, outcome: body.outcome, note: body.note ?? null } });
}

/** Resolution SLA flags are raised again for a reopened complaint's fresh due times. */
const withoutResolutionFlags = (flags: string) => flags.split(",").filter((f) => f && !f.startsWith("resolution_")).join(",");

/**
 * The member's satisfaction survey, once (CAS surveyedAt IS NULL), while the complaint is resolved and
 * within surveyDays of its resolution. A rating of 1–2 or "not solved" reopens it with its owner and a
 * fresh resolution due time; otherwise it closes. The mini-program route and the chatbot both call this.
 */
export async function answerSurvey(m: EntityManager, config: ComplaintsConfig, memberId: number, id: number, body: SurveyBody, now: Date) {
  const c = await complaintForMember(m, memberId, id);
  if (c.surveyedAt) throw new AppError("SURVEY_DONE", "您已经评价过本次处理，感谢您的反馈");
  const cutoff = surveyCutoff(config, now);
  if (c.status !== "resolved" || !c.resolvedAt || c.resolvedAt < cutoff) {
    throw new AppError("SURVEY_NOT_OPEN", c.status === "resolved" ? `评价已截止（处理完成后 ${config.surveyDays} 天内可评价）` : "投诉处理完成后才能评价", { status: c.status });
  }
  const unhappy = body.rating <= 2 || !body.solved;
  const comment = body.comment?.trim() || null;
  const answer = { satisfactionRating: body.rating, satisfactionSolved: body.solved, satisfactionComment: comment, surveyedAt: now };
  const actor: Actor = { type: "member", id: memberId };
  const guard = { sql: "surveyedAt IS NULL AND resolvedAt >= ?", params: [sqlDate(m, cutoff)] };
  const detail = { rating: body.rating, solved: body.solved, comment, round: c.reopenCount };
  await recordEvent(m, c.id, "surveyed", actor, now, { detail });
  try {
    if (unhappy) {
      const dues = await dueTimes(await slaClockFor(m, config, c.storeId), slaHours(config, c.category, c.severity), now);
      await transition(m, c.id, ["resolved"], "reopened", {
        ...answer, reopenCount: c.reopenCount + 1, resolvedAt: null, resolutionDueAt: dues.resolutionDueAt, resolutionWarnAt: dues.resolutionWarnAt, slaFlags: withoutResolutionFlags(c.slaFlags),
      }, { type: "reopened", actor, now, fromStatus: "resolved", detail: { ...detail, owner: c.ownerStaffId }, guard });
    } else {
      await transition(m, c.id, ["resolved"], "closed", { ...answer, closedAt: now }, { type: "closed", actor, now, fromStatus: "resolved", detail: { reason: "survey", ...detail }, guard });
    }
  } catch (err) {
    // a parallel answer won the CAS
    if (err instanceof AppError && err.code === "COMPLAINT_STATUS_CONFLICT") throw new AppError("SURVEY_DONE", "您已经评价过本次处理，感谢您的反馈");
    throw err;
  }
  if (unhappy && c.ownerStaffId !== null) {
    await tellStaff(m, c.ownerStaffId, c.storeId, { kind: "complaint_reopened", vars: await complaintVars(m, c), dedupeKey: `cmp:${c.id}:reopened:${c.reopenCount + 1}` }, now);
  }
  return toMemberView(await m.findOneByOrFail(Complaint, { id: c.id }), config.surveyDays, now);
}

/** Closes one resolved complaint whose survey went unanswered past the window (CAS; false when it was answered or closed meanwhile). */
export async function closeUnanswered(m: EntityManager, config: ComplaintsConfig, id: number, at: Date): Promise<boolean> {
  try {
    await transition(m, id, ["resolved"], "closed", { closedAt: at }, {
      type: "closed", actor: SYSTEM, now: at, fromStatus: "resolved", detail: { reason: "survey_unanswered", surveyDays: config.surveyDays },
      guard: { sql: "surveyedAt IS NULL AND resolvedAt < ?", params: [sqlDate(m, surveyCutoff(config, at))] },
    });
    return true;
  } catch (err) {
    if (err instanceof AppError && err.code === "COMPLAINT_STATUS_CONFLICT") return false;
    throw err;
  }
}
