import type { EntityManager } from "typeorm";
import type { ComplaintsConfig } from "../config.js";
import { insertRow } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { assertMayAct, complaintForMember, complaintForStaff } from "./access.js";
import type { ComplaintStatus } from "./categories.js";
import type { Complaint } from "./complaints.entity.js";
import { recordEvent, transition, type Actor } from "./events.js";
import { complaintVars, excerpt, tellMember, tellStaff } from "./notices.js";
import { attachPhotos } from "./photo-links.js";
import { resumedDues, slaClockFor } from "./sla.js";

const REPLYABLE: ComplaintStatus[] = ["assigned", "responded", "waiting", "reopened"];

async function addMessage(m: EntityManager, c: Complaint, author: Actor, body: string, internal: boolean, now: Date): Promise<number> {
  return insertRow(m, "complaint_message", { complaintId: c.id, authorType: author.type, staffId: author.type === "staff" ? author.id : null, internal, body, createdAt: now });
}

/** Ends a pause (waiting for the customer): the SLA dues still ahead move by the time it waited. */
async function resumeSet(m: EntityManager, config: ComplaintsConfig, c: Complaint, now: Date) {
  if (!c.pausedAt) return {};
  return { pausedAt: null, ...(await resumedDues(await slaClockFor(m, config, c.storeId), c, c.pausedAt, now)) };
}

/**
 * A staff reply the member reads (signed 客服 <number>). The first one is the first response; with
 * waitForCustomer the complaint waits for the member and its SLA clock pauses until they answer.
 */
export async function replyAsStaff(m: EntityManager, config: ComplaintsConfig, staff: StaffPrincipal, id: number, body: { body: string; waitForCustomer?: boolean; photoIds?: number[] }, now: Date) {
  const c = await complaintForStaff(m, staff, id);
  assertMayAct(staff, c);
  if (!REPLYABLE.includes(c.status)) throw new AppError("COMPLAINT_STATUS_CONFLICT", c.status === "received" ? "请先认领该投诉再答复" : "该投诉已解决或已关闭", { status: c.status });
  const to: ComplaintStatus = body.waitForCustomer ? "waiting" : "responded";
  const set: Record<string, unknown> = body.waitForCustomer ? { pausedAt: c.pausedAt ?? now } : await resumeSet(m, config, c, now);
  if (!c.firstRespondedAt) set.firstRespondedAt = now;
  const actor: Actor = { type: "staff", id: staff.id };
  await transition(m, c.id, [c.status], to, set, { type: c.firstRespondedAt ? (to === "waiting" ? "waiting" : "replied") : "responded", actor, now, fromStatus: c.status });
  const messageId = await addMessage(m, c, actor, body.body, false, now);
  if (body.photoIds?.length) await attachPhotos(m, body.photoIds, { type: "staff", id: staff.id }, c.id, messageId);
  await tellMember(m, c, { kind: "complaint_reply", vars: { ...(await complaintVars(m, c)), excerpt: excerpt(body.body) }, dedupeKey: `cmp:${c.id}:reply:${messageId}` }, now);
  return { messageId };
}

/** An internal note: staff only, never shown to the member; anyone who may see the complaint may add one. */
export async function addNote(m: EntityManager, staff: StaffPrincipal, id: number, body: string, now: Date) {
  const c = await complaintForStaff(m, staff, id);
  return { messageId: await addMessage(m, c, { type: "staff", id: staff.id }, body, true, now) };
}

/** The member writes in their complaint's thread; an answer to a waiting complaint resumes its SLA clock. */
export async function replyAsMember(m: EntityManager, config: ComplaintsConfig, memberId: number, id: number, body: { body: string; photoIds?: number[] }, now: Date) {
  const c = await complaintForMember(m, memberId, id);
  if (c.status === "closed") throw new AppError("COMPLAINT_STATUS_CONFLICT", "该投诉已办结，如有新的问题请重新提交投诉", { status: c.status });
  const actor: Actor = { type: "member", id: memberId };
  if (c.status === "waiting") await transition(m, c.id, ["waiting"], "responded", await resumeSet(m, config, c, now), { type: "resumed", actor, now, fromStatus: "waiting" });
  else await recordEvent(m, c.id, "member_replied", actor, now);
  const messageId = await addMessage(m, c, actor, body.body, false, now);
  if (body.photoIds?.length) await attachPhotos(m, body.photoIds, { type: "member", id: memberId }, c.id, messageId);
  if (c.ownerStaffId !== null) await tellStaff(m, c.ownerStaffId, c.storeId, { kind: "complaint_member_reply", vars: { ...(await complaintVars(m, c)), excerpt: excerpt(body.body) }, dedupeKey: `cmp:${c.id}:member-reply:${messageId}` }, now);
  return { messageId };
}
