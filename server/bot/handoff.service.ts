import type { EntityManager } from "typeorm";
import { canStaffSee, complaintForMember } from "../complaints/access.js";
import { Complaint } from "../complaints/complaints.entity.js";
import { SYSTEM } from "../complaints/events.js";
import { storeManagers } from "../complaints/notices.js";
import { assignComplaint, pickAgent, takeFromQueue } from "../complaints/routing.service.js";
import { replyAsMember, replyAsStaff } from "../complaints/thread.service.js";
import type { ComplaintsConfig } from "../config.js";
import { execute, insertIgnore, insertRow, sqlDate } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import type { Member } from "../members/members.entity.js";
import { enqueue } from "../notify/outbox.service.js";
import { BotHandoff } from "./bot.entity.js";
import { boundMember, maskName, tierNameOf } from "./commands.service.js";
import { ANSWER_WITHIN_MS, relay, TEXTS } from "./handoff-texts.js";

const notFound = () => new AppError("HANDOFF_NOT_FOUND", "会话不存在或已结束");
const CLOSED_COMPLAINT = ["resolved", "closed"];

/** 张** (金卡): how agents see the member. */
const whoOf = async (m: EntityManager, member: Member) => `${maskName(member.nickname)} (${await tierNameOf(m, member)})`;

/**
 * The complaint's own outbox message for a line that the chat relay carries anyway: cancelled in the
 * same transaction, so the person in the conversation hears it once.
 */
const cancelDuplicate = (m: EntityManager, dedupeKey: string) =>
  execute(m, "UPDATE outbox_message SET status = 'cancelled', lastError = '已在微信客服对话中转达' WHERE dedupeKey = ? AND status = 'queued'", [dedupeKey]);

export const handoffView = (h: BotHandoff) => ({
  id: h.id, tag: h.tag, complaintId: h.complaintId, status: h.status, assigned: h.agentStaffId !== null, agentStaffId: h.agentStaffId,
  openedAt: h.openedAt.toISOString(), expectReplyBy: new Date(h.openedAt.getTime() + ANSWER_WITHIN_MS).toISOString(),
  firstAgentReplyAt: h.firstAgentReplyAt?.toISOString() ?? null, closedAt: h.closedAt?.toISOString() ?? null,
});

/**
 * 人工: a human takes the member over — the complaint's owner, else an on-duty agent by the complaints
 * routing (never the accused), else the store's queue. One open handoff per member: a second open
 * (or a parallel one) answers the open one.
 */
export async function openHandoff(m: EntityManager, config: ComplaintsConfig, account: string, contactId: string, body: { text?: string; complaintId?: number }, now: Date) {
  const member = await boundMember(m, account, contactId);
  const complaint = body.complaintId !== undefined ? await complaintForMember(m, member.id, body.complaintId) : null;
  if (complaint && CLOSED_COMPLAINT.includes(complaint.status)) throw new AppError("COMPLAINT_STATUS_CONFLICT", "该投诉已处理完成，如有新的问题请重新投诉", { status: complaint.status });
  const storeId = complaint?.storeId ?? member.storeId;
  const inserted = await insertIgnore(m, "bot_handoff", {
    tag: complaint?.number ?? "H", botAccount: account, contactId, memberId: member.id, storeId, complaintId: complaint?.id ?? null, agentStaffId: null, status: "open", openKey: member.id, openedAt: now,
  });
  let h = await m.findOneByOrFail(BotHandoff, { openKey: member.id });
  if (!inserted) return handoffView(h);
  let agent = complaint?.ownerStaffId ?? null;
  if (complaint && agent === null) {
    agent = await pickAgent(m, complaint);
    if (agent !== null) await assignComplaint(m, complaint, agent, SYSTEM, "bot_handoff", now);
  } else if (!complaint) {
    agent = await pickAgent(m, { storeId, team: "service", accusedStaffId: null });
  }
  const tag = complaint?.number ?? `H${h.id}`;
  await execute(m, "UPDATE bot_handoff SET tag = ?, agentStaffId = ? WHERE id = ?", [tag, agent, h.id]);
  h = await m.findOneByOrFail(BotHandoff, { id: h.id });
  const text = body.text?.trim() || undefined;
  if (text) await record(m, config, h, member, text, now);
  if (agent !== null) await relay(m, { staffId: agent }, storeId, TEXTS.opened(tag, await whoOf(m, member), text), `ho:${h.id}:open`, now);
  else await alertManagers(m, h, complaint?.accusedStaffId ?? null, await whoOf(m, member), now);
  return handoffView(h);
}

/** Nobody on duty: the store's managers (never the accused) hear of the waiting member through the outbox. */
async function alertManagers(m: EntityManager, h: BotHandoff, accusedStaffId: number | null, who: string, now: Date): Promise<void> {
  for (const staffId of await storeManagers(m, { storeId: h.storeId, accusedStaffId })) {
    await enqueue(m, { kind: "staff_alert", staffId, storeId: h.storeId, vars: { text: TEXTS.queued(h.tag, who) }, dedupeKey: `ho:${h.id}:queued:${staffId}` }, now);
  }
}

/** Writes the member's line into the complaint's thread or the handoff's own; returns a key unique to the line. */
async function record(m: EntityManager, config: ComplaintsConfig, h: BotHandoff, member: Member, text: string, now: Date): Promise<string> {
  if (h.complaintId !== null) {
    const { messageId } = await replyAsMember(m, config, member.id, h.complaintId, { body: text }, now);
    await cancelDuplicate(m, `cmp:${h.complaintId}:member-reply:${messageId}`);
    return `cm:${messageId}`;
  }
  return `hm:${await insertRow(m, "bot_handoff_message", { handoffId: h.id, authorType: "member", staffId: null, body: text, createdAt: now })}`;
}

/** A member's message while their handoff is open: recorded and relayed to the agent's contact through the outbox. */
export async function relayFromMember(m: EntityManager, config: ComplaintsConfig, account: string, contactId: string, text: string, now: Date) {
  const member = await boundMember(m, account, contactId);
  const h = await m.findOneBy(BotHandoff, { openKey: member.id });
  if (!h) throw notFound();
  const key = await record(m, config, h, member, text, now);
  if (h.agentStaffId !== null) await relay(m, { staffId: h.agentStaffId }, h.storeId, TEXTS.toAgent(h.tag, await whoOf(m, member), text), `ho:${h.id}:${key}`, now);
  return { relayed: true };
}

/** Whether a staff member may see a handoff: their store, agents and up, and never one of a complaint about them. */
export async function mayStaffSee(m: EntityManager, staff: StaffPrincipal, h: BotHandoff): Promise<boolean> {
  if (staff.role === "advisor") return false;
  if (staff.storeId !== null && staff.storeId !== h.storeId) return false;
  if (h.complaintId === null) return true;
  const c = await m.findOneBy(Complaint, { id: h.complaintId });
  return c !== null && canStaffSee(staff, c);
}

/** A handoff the staff member may see, or HANDOFF_NOT_FOUND (the accused cannot learn that it exists). */
export async function handoffForStaff(m: EntityManager, staff: StaffPrincipal, id: number): Promise<BotHandoff> {
  const h = await m.findOneBy(BotHandoff, { id });
  if (!h || !(await mayStaffSee(m, staff, h))) throw notFound();
  return h;
}

/** The agent acts on an open handoff: theirs, or a queued one they take (CAS), or any as the store's manager. */
async function actOn(m: EntityManager, staff: StaffPrincipal, h: BotHandoff): Promise<void> {
  if (h.status !== "open") throw new AppError("HANDOFF_CLOSED", "该会话已结束", { status: h.status });
  if (h.agentStaffId === staff.id || staff.role === "manager" || staff.role === "admin") return;
  if (h.agentStaffId === null && (await execute(m, "UPDATE bot_handoff SET agentStaffId = ? WHERE id = ? AND agentStaffId IS NULL", [staff.id, h.id])) === 1) return;
  throw new AppError("HANDOFF_NOT_AGENT", "该会话已由其他客服处理", { agentStaffId: h.agentStaffId });
}

/** An agent's answer (from WeChat or the console): into the thread, then through the outbox to the member. */
export async function replyToHandoff(m: EntityManager, config: ComplaintsConfig, staff: StaffPrincipal, h: BotHandoff, text: string, now: Date) {
  await actOn(m, staff, h);
  let key: string;
  if (h.complaintId !== null) {
    // a queued complaint is taken by whoever answers its handoff (首问负责), as from the complaint queue
    const c = await m.findOneBy(Complaint, { id: h.complaintId });
    if (c?.status === "received" && c.ownerStaffId === null) await takeFromQueue(m, staff, now, c.id);
    const { messageId } = await replyAsStaff(m, config, staff, h.complaintId, { body: text }, now);
    await cancelDuplicate(m, `cmp:${h.complaintId}:reply:${messageId}`);
    key = `cm:${messageId}`;
  } else {
    key = `hm:${await insertRow(m, "bot_handoff_message", { handoffId: h.id, authorType: "staff", staffId: staff.id, body: text, createdAt: now })}`;
  }
  await execute(m, "UPDATE bot_handoff SET firstAgentReplyAt = ? WHERE id = ? AND firstAgentReplyAt IS NULL", [sqlDate(m, now), h.id]);
  await relay(m, { memberId: h.memberId }, h.storeId, TEXTS.toMember(text), `ho:${h.id}:${key}`, now);
  return { relayed: true };
}

/** Ends a handoff once (CAS on its status); the member is told, and the bot answers FAQs again. */
export async function closeHandoff(m: EntityManager, staff: StaffPrincipal, h: BotHandoff, now: Date) {
  await actOn(m, staff, h);
  const closed = await execute(m, "UPDATE bot_handoff SET status = 'closed', openKey = NULL, closedAt = ?, closedByStaffId = ? WHERE id = ? AND status = 'open'", [sqlDate(m, now), staff.id, h.id]);
  if (closed !== 1) throw new AppError("HANDOFF_CLOSED", "该会话已结束");
  await relay(m, { memberId: h.memberId }, h.storeId, TEXTS.closed, `ho:${h.id}:closed`, now);
  return handoffView(await m.findOneByOrFail(BotHandoff, { id: h.id }));
}

/** The open handoff an agent means by "#<tag>", if they may act on it. */
export async function openHandoffByTag(m: EntityManager, staff: StaffPrincipal, tag: string): Promise<BotHandoff | null> {
  const rows = await m.find(BotHandoff, { where: { tag, status: "open" }, order: { id: "DESC" }, take: 5 });
  for (const h of rows) if (await mayStaffSee(m, staff, h)) return h;
  return null;
}
