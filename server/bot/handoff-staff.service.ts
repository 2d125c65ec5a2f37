import { In, type EntityManager } from "typeorm";
import { ComplaintMessage } from "../complaints/complaints.entity.js";
import type { ComplaintsConfig } from "../config.js";
import type { Database } from "../db/database.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { Member } from "../members/members.entity.js";
import { BotHandoff, BotHandoffMessage, type HandoffStatus } from "./bot.entity.js";
import { boundStaff, maskName } from "./commands.service.js";
import { TEXTS } from "./handoff-texts.js";
import { closeHandoff, handoffForStaff, handoffView, mayStaffSee, openHandoffByTag, replyToHandoff } from "./handoff.service.js";

// "#TS20261124-0007 内容" or "#H12 结束": the tag, then the text after any space
const AGENT_LINE = /^\s*[#＃]([A-Za-z]{1,2}[0-9][0-9-]{0,22})\s+([\s\S]*\S)\s*$/;

/**
 * A message from a staff-bound contact. "#<tag> <text>" answers the handoff, "#<tag> 结束" ends it;
 * anything else, or a contact that is not staff, is not for the handoff (handled: false). A refusal
 * (closed, someone else's, not theirs to see) is answered to the agent, never a 4xx to the bot.
 */
export async function agentMessage(db: Database, config: ComplaintsConfig, account: string, contactId: string, text: string, now: Date): Promise<{ handled: boolean; reply?: string }> {
  const match = AGENT_LINE.exec(text);
  if (!match) return { handled: false };
  const tag = match[1].toUpperCase();
  const body = match[2];
  try {
    return await db.tx(async (m) => {
      const staff = await boundStaff(m, account, contactId);
      if (!staff) return { handled: false };
      const h = await openHandoffByTag(m, staff, tag);
      if (!h) return { handled: true, reply: TEXTS.agentUnknown(tag) };
      if (body === "结束") {
        await closeHandoff(m, staff, h, now);
        return { handled: true, reply: TEXTS.agentClosed(tag) };
      }
      await replyToHandoff(m, config, staff, h, body, now);
      return { handled: true, reply: TEXTS.agentDone(tag) };
    });
  } catch (err) {
    if (err instanceof AppError && !["BUSY", "DB_UNAVAILABLE"].includes(err.code)) return { handled: true, reply: err.message };
    throw err;
  }
}

async function membersOf(m: EntityManager, rows: BotHandoff[]) {
  const ids = [...new Set(rows.map((h) => h.memberId))];
  const members = ids.length ? await m.find(Member, { where: { id: In(ids) }, select: { id: true, nickname: true } }) : [];
  return (id: number) => ({ id, maskedName: maskName(members.find((x) => x.id === id)?.nickname ?? "") });
}

/** Handoffs the staff member may see, open ones oldest first (who waits longest), closed ones newest first. */
export async function listHandoffs(m: EntityManager, staff: StaffPrincipal, status: HandoffStatus) {
  const qb = m.createQueryBuilder(BotHandoff, "h").where("h.status = :status", { status });
  if (staff.storeId !== null) qb.andWhere("h.storeId = :storeId", { storeId: staff.storeId });
  const rows = await qb.orderBy("h.openedAt", status === "open" ? "ASC" : "DESC").addOrderBy("h.id", "ASC").take(200).getMany();
  const visible: BotHandoff[] = [];
  for (const h of rows) if (await mayStaffSee(m, staff, h)) visible.push(h);
  const member = await membersOf(m, visible);
  return { items: visible.slice(0, 100).map((h) => ({ ...handoffView(h), member: member(h.memberId) })) };
}

/** One handoff with its thread: the complaint's public thread, or the handoff's own messages. */
export async function handoffDetail(m: EntityManager, staff: StaffPrincipal, id: number) {
  const h = await handoffForStaff(m, staff, id);
  const member = await membersOf(m, [h]);
  const messages =
    h.complaintId !== null
      ? (await m.find(ComplaintMessage, { where: { complaintId: h.complaintId, internal: false }, order: { id: "ASC" } })).map((x) => ({ id: x.id, from: x.authorType === "member" ? "member" : "staff", staffId: x.staffId, body: x.body, createdAt: x.createdAt.toISOString() }))
      : (await m.find(BotHandoffMessage, { where: { handoffId: h.id }, order: { id: "ASC" } })).map((x) => ({ id: x.id, from: x.authorType, staffId: x.staffId, body: x.body, createdAt: x.createdAt.toISOString() }));
  return { ...handoffView(h), member: member(h.memberId), messages };
}

export async function replyFromConsole(m: EntityManager, config: ComplaintsConfig, staff: StaffPrincipal, id: number, body: string, now: Date) {
  await replyToHandoff(m, config, staff, await handoffForStaff(m, staff, id), body, now);
  return handoffDetail(m, staff, id);
}

export async function closeFromConsole(m: EntityManager, staff: StaffPrincipal, id: number, now: Date) {
  return closeHandoff(m, staff, await handoffForStaff(m, staff, id), now);
}
