import type { EntityManager } from "typeorm";
import type { Config } from "../config.js";
import { execute, sqlDate, updateElseInsert } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import { assertStoreScope } from "../http/auth.js";
import { todayInShanghai } from "../http/time.js";
import type { StaffPrincipal } from "../http/context.js";
import { addCalendarDays, shanghaiInstant } from "../stores/calendar.js";
import { CallTask, MemberPreference, OutboxMessage, type CallOutcome } from "./notify.entity.js";
import { renderText, TEMPLATES, type MessageKind, type Vars } from "./templates.js";

const CHANNEL_NAMES: Record<string, string> = { subscribe: "小程序订阅消息", bot: "微信客服", inbox: "员工消息箱", call: "电话回访" };
const STATUS_NAMES: Record<string, string> = { queued: "待发送", sending: "发送中", sent: "已发送", refused: "被拒收", failed: "发送失败", no_channel: "无可用渠道", held: "暂缓（免打扰时段）", cancelled: "已取消", expired: "已过期（未发送）" };

/** The text, or why it cannot be shown: one broken row (a failed message) must not break the whole list. */
function textOf(message: OutboxMessage): string {
  try {
    return renderText(message.kind as MessageKind, JSON.parse(message.payload) as Vars);
  } catch (err) {
    return `（无法显示内容：${(err as Error).message}）`;
  }
}

export function toMessageView(message: OutboxMessage) {
  const kind = message.kind as MessageKind;
  return {
    id: message.id,
    kind,
    kindName: TEMPLATES[kind]?.label ?? kind,
    messageClass: message.messageClass,
    text: textOf(message),
    channel: message.channel,
    channelName: message.channel ? CHANNEL_NAMES[message.channel] : null,
    status: message.status,
    statusName: STATUS_NAMES[message.status],
    createdAt: message.createdAt.toISOString(),
    sentAt: message.sentAt?.toISOString() ?? null,
  };
}

/** What was sent to the member and how; queued and cancelled marketing are not the member's business. */
export async function memberMessages(m: EntityManager, memberId: number, page: number, pageSize: number) {
  const [rows, total] = await m
    .createQueryBuilder(OutboxMessage, "o")
    .where("o.memberId = :memberId AND o.status = 'sent'", { memberId })
    .orderBy("o.id", "DESC")
    .skip((page - 1) * pageSize)
    .take(pageSize)
    .getManyAndCount();
  return { items: rows.map(toMessageView), total, page, pageSize };
}

/** Adds the member's one-time accepts as reported by wx.requestSubscribeMessage; only "accept" counts. */
export async function recordSubscriptions(m: EntityManager, config: Config, memberId: number, results: Record<string, string>, now: Date) {
  const known = new Set(Object.values(config.notify.subscribeTemplates));
  const unknown = Object.keys(results).filter((id) => !known.has(id));
  if (unknown.length) throw new AppError("TEMPLATE_UNKNOWN", "包含未配置的订阅消息模板", { templateIds: unknown });
  for (const [templateId, result] of Object.entries(results)) {
    if (result !== "accept") continue;
    await updateElseInsert(m, "UPDATE subscribe_consent SET remaining = remaining + 1, updatedAt = ? WHERE memberId = ? AND templateId = ?", [sqlDate(m, now), memberId, templateId], "subscribe_consent", { memberId, templateId, remaining: 1, updatedAt: now });
  }
  return memberSubscriptions(m, config, memberId);
}

/** Per message kind that has a template: how many accepts the member has left. */
export async function memberSubscriptions(m: EntityManager, config: Config, memberId: number) {
  const rows = (await m.query("SELECT templateId, remaining FROM subscribe_consent WHERE memberId = ?", [memberId])) as { templateId: string; remaining: number }[];
  const left = new Map(rows.map((r) => [r.templateId, Number(r.remaining)]));
  return {
    templates: Object.entries(config.notify.subscribeTemplates)
      .filter(([kind]) => kind in TEMPLATES)
      .map(([kind, templateId]) => ({ kind, kindName: TEMPLATES[kind as MessageKind].label, templateId, remaining: left.get(templateId) ?? 0 })),
  };
}

export async function memberPreferences(m: EntityManager, memberId: number) {
  const row = await m.findOneBy(MemberPreference, { memberId });
  return { marketingOptOut: row?.marketingOptOut ?? false };
}

/** Opting out stops marketing only; service notices (bookings, maintenance, expiring coupons) still come. Queued marketing is cancelled. */
export async function setMemberPreferences(m: EntityManager, memberId: number, body: { marketingOptOut: boolean }, now: Date) {
  await m.upsert(MemberPreference, { memberId, marketingOptOut: body.marketingOptOut, updatedAt: now }, ["memberId"]);
  if (body.marketingOptOut) {
    await execute(m, "UPDATE outbox_message SET status = 'cancelled', lastError = '会员已退订营销消息' WHERE memberId = ? AND messageClass = 'marketing' AND status IN ('queued', 'held') AND (channel IS NULL OR channel <> 'bot' OR leaseToken IS NULL)", [memberId]);
  }
  return memberPreferences(m, memberId);
}

/** The staff member's inbox, newest first, a page at a time; `unread` counts every unread message (the dashboard's figure). */
export async function staffInbox(m: EntityManager, staffId: number, query: InboxQuery) {
  const mine = () => m.createQueryBuilder(OutboxMessage, "o").where("o.staffId = :staffId AND o.channel = 'inbox' AND o.status = 'sent'", { staffId });
  const list = mine();
  if (query.unread) list.andWhere("o.readAt IS NULL");
  const [rows, total] = await list.orderBy("o.id", "DESC").skip((query.page - 1) * query.pageSize).take(query.pageSize).getManyAndCount();
  const unread = await mine().andWhere("o.readAt IS NULL").getCount();
  return { items: rows.map((r) => ({ ...toMessageView(r), readAt: r.readAt?.toISOString() ?? null })), total, page: query.page, pageSize: query.pageSize, unread };
}

export async function markInboxRead(m: EntityManager, staffId: number, id: number, now: Date) {
  const message = await m.findOneBy(OutboxMessage, { id, staffId, channel: "inbox" });
  if (!message) throw new AppError("MESSAGE_NOT_FOUND", "消息不存在");
  await execute(m, "UPDATE outbox_message SET readAt = ? WHERE id = ? AND readAt IS NULL", [sqlDate(m, now), id]);
  return { id, readAt: (message.readAt ?? now).toISOString() };
}

function storeFilter(staff: StaffPrincipal, storeId: number | undefined): number | null {
  if (storeId !== undefined) assertStoreScope(staff, storeId);
  return staff.storeId ?? storeId ?? null;
}

export interface InboxQuery {
  unread?: boolean;
  page: number;
  pageSize: number;
}

export interface CallTaskQuery {
  storeId?: number;
  status?: "open" | "done";
  reason?: string;
  /** Shanghai calendar days, inclusive, on when the task was created */
  from?: string;
  to?: string;
  /** part of the member's phone, member code or nickname */
  q?: string;
  page: number;
  pageSize: number;
}

/** `%word%` for LIKE … ESCAPE '!' */
const containing = (word: string) => `%${word.replace(/[!%_]/g, "!$&")}%`;

/**
 * The desk's call list. Open tasks oldest first (whoever waited longest is called first), done ones
 * most recently done first.
 */
export async function callTasks(m: EntityManager, staff: StaffPrincipal, query: CallTaskQuery) {
  const storeId = storeFilter(staff, query.storeId);
  const status = query.status ?? "open";
  if (query.from && query.to && query.from > query.to) throw new AppError("VALIDATION_FAILED", "开始日期不能晚于结束日期", { from: query.from, to: query.to });
  const qb = m.createQueryBuilder(CallTask, "t").leftJoin("member", "mb", "mb.id = t.memberId").select("t").addSelect(["mb.nickname", "mb.phone", "mb.memberCode"]);
  qb.where("t.status = :status", { status });
  if (storeId !== null) qb.andWhere("t.storeId = :storeId", { storeId });
  if (query.reason) qb.andWhere("t.reason = :reason", { reason: query.reason });
  if (query.from) qb.andWhere("t.createdAt >= :from", { from: shanghaiInstant(query.from, "00:00") });
  if (query.to) qb.andWhere("t.createdAt < :to", { to: shanghaiInstant(addCalendarDays(query.to, 1), "00:00") });
  const q = query.q?.trim();
  if (q) qb.andWhere("(mb.phone LIKE :q ESCAPE '!' OR mb.memberCode LIKE :q ESCAPE '!' OR mb.nickname LIKE :q ESCAPE '!')", { q: containing(q) });
  if (status === "open") qb.orderBy("t.createdAt", "ASC").addOrderBy("t.id", "ASC");
  else qb.orderBy("t.doneAt", "DESC").addOrderBy("t.id", "DESC");
  const total = await qb.getCount();
  const { entities, raw } = await qb.offset((query.page - 1) * query.pageSize).limit(query.pageSize).getRawAndEntities();
  const items = entities.map((task, i) => ({
    id: task.id,
    memberId: task.memberId,
    memberName: raw[i].mb_nickname,
    memberPhone: raw[i].mb_phone,
    memberCode: raw[i].mb_memberCode,
    storeId: task.storeId,
    reason: task.reason,
    reasonName: reasonName(task.reason),
    summary: task.summary,
    status: task.status,
    outcome: task.outcome,
    note: task.note,
    createdAt: task.createdAt.toISOString(),
    doneAt: task.doneAt?.toISOString() ?? null,
  }));
  return { items, total, page: query.page, pageSize: query.pageSize };
}

const reasonName = (reason: string) => (reason === "win_back" ? "流失客户挽回" : (TEMPLATES[reason as MessageKind]?.label ?? reason));

/** Records how the call went; one outcome per task (compare-and-set on open). */
export async function recordCallOutcome(m: EntityManager, staff: StaffPrincipal, id: number, body: { outcome: CallOutcome; note?: string }, now: Date) {
  const task = await m.findOneBy(CallTask, { id });
  if (!task || (staff.storeId !== null && staff.storeId !== task.storeId)) throw new AppError("CALL_TASK_NOT_FOUND", "回访任务不存在");
  const done = await execute(m, "UPDATE call_task SET status = 'done', outcome = ?, note = ?, doneByStaffId = ?, doneAt = ? WHERE id = ? AND status = 'open'", [body.outcome, body.note ?? null, staff.id, sqlDate(m, now), id]);
  if (done !== 1) throw new AppError("CALL_TASK_DONE", "该回访任务已记录结果");
  return { id, status: "done", outcome: body.outcome, note: body.note ?? null };
}

export interface OutboxQuery {
  date?: string;
  kind?: string;
  status?: string;
  channel?: string;
  storeId?: number;
  page: number;
  pageSize: number;
}

/** The operator's view of one Shanghai day: the messages, filtered, and how many ended in each status. */
export async function outboxDay(m: EntityManager, staff: StaffPrincipal, query: OutboxQuery, now: Date) {
  const date = query.date ?? todayInShanghai(now);
  const from = shanghaiInstant(date, "00:00");
  const to = shanghaiInstant(addCalendarDays(date, 1), "00:00");
  const storeId = storeFilter(staff, query.storeId);
  const base = () => {
    const qb = m.createQueryBuilder(OutboxMessage, "o").where("o.createdAt >= :from AND o.createdAt < :to", { from, to });
    if (storeId !== null) qb.andWhere("o.storeId = :storeId", { storeId });
    if (query.kind) qb.andWhere("o.kind = :kind", { kind: query.kind });
    if (query.channel) qb.andWhere("o.channel = :channel", { channel: query.channel });
    return qb;
  };
  const countRows = (await base().select("o.status", "status").addSelect("COUNT(*)", "n").groupBy("o.status").getRawMany()) as { status: string; n: string | number }[];
  const counts = Object.fromEntries(Object.keys(STATUS_NAMES).map((s) => [s, Number(countRows.find((r) => r.status === s)?.n ?? 0)]));
  const list = base();
  if (query.status) list.andWhere("o.status = :status", { status: query.status });
  const [rows, total] = await list.orderBy("o.id", "DESC").skip((query.page - 1) * query.pageSize).take(query.pageSize).getManyAndCount();
  return {
    date,
    counts,
    total,
    items: rows.map((r) => ({ ...toMessageView(r), memberId: r.memberId, staffId: r.staffId, storeId: r.storeId, attempts: r.attempts, lastError: r.lastError, nextAttemptAt: r.nextAttemptAt.toISOString() })),
  };
}

/** A manager cancels marketing that has not gone out yet; service notices cannot be cancelled here. */
export async function cancelMarketing(m: EntityManager, staff: StaffPrincipal, id: number) {
  const message = await m.findOneBy(OutboxMessage, { id });
  if (!message || (staff.storeId !== null && message.storeId !== staff.storeId)) throw new AppError("MESSAGE_NOT_FOUND", "消息不存在");
  const done = await execute(m, "UPDATE outbox_message SET status = 'cancelled', lastError = ? WHERE id = ? AND messageClass = 'marketing' AND status IN ('queued', 'held') AND leaseToken IS NULL", [`由${staff.name}取消`, id]);
  if (done !== 1) throw new AppError("MESSAGE_NOT_CANCELLABLE", message.messageClass !== "marketing" ? "服务通知不能取消" : "该消息已在发送或已处理，不能取消", { status: message.status });
  return { id, status: "cancelled" };
}
