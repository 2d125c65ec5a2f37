import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { WechatClient } from "../auth/wechat-client.js";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { execute, insertIgnore, sqlDate } from "../db/sql.js";
import { todayInShanghai } from "../http/time.js";
import { isBotOnline, ONLINE_ACCOUNTS, onlineParams } from "../bot/status.service.js";
import { Member } from "../members/members.entity.js";
import { obsoleteReason, retireExpired } from "./expiry.js";
import { optedOut, quietUntil, returnWeeklyPlace, takeWeeklyPlace } from "./gates.js";
import { ContactBinding, OutboxMessage, type Channel, type MessageStatus } from "./notify.entity.js";
import { renderSubscribe, renderText, TEMPLATES, type MessageKind, type MessageTemplate, type Vars } from "./templates.js";

export interface NotifyDeps {
  db: Database;
  config: Config;
  wechat: WechatClient;
  logger: Logger;
}

const LEASE_MS = 60_000;
/** backoff of a transient failure: 30 s, 2 min, 8 min, 32 min, … capped at 2 h */
export const backoffMs = (attempts: number) => Math.min(30_000 * 4 ** Math.max(0, attempts - 1), 2 * 3600_000);

// Due for the router: waiting or held and due, or taken by an instance that died while sending.
// Bot-channel messages wait for a bot's claim instead (bot-outbox.ts).
const DUE = "((status IN ('queued', 'held') AND (channel IS NULL OR channel <> 'bot')) OR (status = 'sending' AND channel IS NULL AND leaseUntil < ?)) AND nextAttemptAt <= ?";

/** One round of the delivery loop: takes due messages one by one (compare-and-set) and routes each. Returns how many it routed. */
export async function deliverDue(deps: NotifyDeps, now = new Date(), limit = 100): Promise<number> {
  await retireExpired(deps.db, now);
  await rerouteOffline(deps, now);
  const rows = (await deps.db.read((m) => m.query(`SELECT id FROM outbox_message WHERE ${DUE} ORDER BY nextAttemptAt, id LIMIT ${Number(limit)}`, [sqlDate(m, now), sqlDate(m, now)]))) as { id: number }[];
  let routed = 0;
  for (const { id } of rows) {
    const token = randomUUID();
    const taken = await deps.db.tx((m) =>
      execute(m, `UPDATE outbox_message SET status = 'sending', channel = NULL, leaseToken = ?, leaseUntil = ?, attempts = attempts + 1 WHERE id = ? AND ${DUE}`, [token, sqlDate(m, new Date(now.getTime() + LEASE_MS)), id, sqlDate(m, now), sqlDate(m, now)]),
    );
    if (taken !== 1) continue; // another instance has it
    const message = await deps.db.read((m) => m.findOneByOrFail(OutboxMessage, { id }));
    try {
      await route(deps, message, token, now);
    } catch (err) {
      // a bug or a broken row, not WeChat's answer: it counts against the attempts like a transient error, then the message is dead and visible
      deps.logger.error({ err, messageId: id }, "message routing failed");
      const lastError = `路由出错：${(err as Error).message}`.slice(0, 500);
      await settle(deps.db, message, token, message.attempts >= deps.config.notify.maxAttempts ? { status: "failed", lastError } : { status: "queued", lastError, nextAttemptAt: new Date(now.getTime() + backoffMs(message.attempts)) });
    }
    routed++;
  }
  return routed;
}

/**
 * Due messages waiting for a bot account that is offline (logged out, or silent past
 * BOT_OFFLINE_AFTER_SECONDS) go back to the router instead of piling up: it picks the next channel.
 * So do those an offline bot was handed and never acknowledged within their lease; what a bot holds
 * under a live lease is left alone.
 */
async function rerouteOffline(deps: NotifyDeps, now: Date): Promise<number> {
  return deps.db.tx((m) =>
    execute(
      m,
      `UPDATE outbox_message SET status = 'queued', channel = NULL, botAccount = NULL, contactId = NULL, leaseToken = NULL, leaseUntil = NULL
        WHERE channel = 'bot' AND ((status = 'queued' AND nextAttemptAt <= ?) OR (status = 'sending' AND leaseUntil < ?)) AND botAccount NOT IN (${ONLINE_ACCOUNTS})`,
      [sqlDate(m, now), sqlDate(m, now), ...onlineParams(m, deps.config.notify, now)],
    ),
  );
}

interface Settlement {
  status: MessageStatus;
  channel?: Channel | null;
  lastError?: string | null;
  nextAttemptAt?: Date;
  sentAt?: Date;
  refused?: Channel;
  botAccount?: string;
  contactId?: string;
}

/** Ends this instance's hold on a message with one compare-and-set on its lease; false when the hold was lost. */
export async function settle(db: Database, message: OutboxMessage, token: string, s: Settlement): Promise<boolean> {
  const refused = s.refused ? [...message.refusedChannels.split(",").filter(Boolean), s.refused].join(",") : message.refusedChannels;
  message.refusedChannels = refused;
  return (
    (await db.tx((m) =>
      execute(
        m,
        "UPDATE outbox_message SET status = ?, channel = ?, lastError = ?, nextAttemptAt = ?, sentAt = ?, refusedChannels = ?, botAccount = ?, contactId = ?, leaseToken = NULL, leaseUntil = NULL WHERE id = ? AND leaseToken = ?",
        [s.status, s.channel ?? null, s.lastError === undefined ? message.lastError : s.lastError, sqlDate(m, s.nextAttemptAt ?? message.nextAttemptAt), s.sentAt ? sqlDate(m, s.sentAt) : null, refused, s.botAccount ?? null, s.contactId ?? null, message.id, token],
      ),
    )) === 1
  );
}

async function route(deps: NotifyDeps, message: OutboxMessage, token: string, now: Date): Promise<void> {
  const { db, config } = deps;
  renderText(message.kind as MessageKind, JSON.parse(message.payload) as Vars); // a payload that cannot be rendered fails here, before a consent or a weekly place is spent
  const obsolete = await db.read((m) => obsoleteReason(m, message, now));
  if (obsolete) return void (await settle(db, message, token, { status: "expired", lastError: obsolete }));
  const marketing = message.messageClass === "marketing";
  if (marketing && message.memberId !== null) {
    if (await db.read((m) => optedOut(m, message.memberId!))) return void (await settle(db, message, token, { status: "cancelled", lastError: "会员已退订营销消息" }));
    const until = quietUntil(config.notify, now);
    if (until) return void (await settle(db, message, token, { status: "held", lastError: null, nextAttemptAt: until }));
    if (!(await db.tx((m) => takeWeeklyPlace(m, config.notify, message.memberId!, now)))) return void (await settle(db, message, token, { status: "cancelled", lastError: "已达每周营销消息上限" }));
  }
  const refused = new Set(message.refusedChannels.split(",").filter(Boolean));
  const subject = message.memberId !== null ? { type: "member" as const, id: message.memberId } : { type: "staff" as const, id: message.staffId! };
  const found = await db.read((m) => m.findOneBy(ContactBinding, { subjectType: subject.type, subjectId: subject.id }));
  // a bot that is logged out or silent is no channel: the message falls to the next one now
  const binding = found && (await db.read((m) => isBotOnline(m, config.notify, found.botAccount, now))) ? found : null;
  const template: MessageTemplate = TEMPLATES[message.kind as MessageKind];

  if (template.conversational) {
    // a live conversation goes by the bot or not at all: staff read it in their inbox, a member's line is never a call task
    if (binding && !refused.has("bot")) return void (await settle(db, message, token, { status: "queued", channel: "bot", botAccount: binding.botAccount, contactId: binding.contactId, nextAttemptAt: now }));
    if (subject.type === "staff") return void (await settle(db, message, token, { status: "sent", channel: "inbox", sentAt: now, lastError: null }));
    return void (await settle(db, message, token, { status: "no_channel", lastError: "会员的微信客服不在线，对话消息未能转达" }));
  }
  if (subject.type === "member" && !refused.has("subscribe")) {
    const outcome = await trySubscribe(deps, message, token, now);
    if (outcome === "done") return;
  }
  if (binding && !refused.has("bot")) {
    return void (await settle(db, message, token, { status: "queued", channel: "bot", botAccount: binding.botAccount, contactId: binding.contactId, nextAttemptAt: now }));
  }
  if (subject.type === "staff") return void (await settle(db, message, token, { status: "sent", channel: "inbox", sentAt: now, lastError: null }));
  if (marketing) await db.tx((m) => returnWeeklyPlace(m, message.memberId!, now));
  if (marketing) return void (await settle(db, message, token, { status: "no_channel", lastError: "会员未授权订阅消息且未绑定微信客服" }));
  await noChannel(deps, message, token, now);
}

/**
 * A service notice no channel can carry becomes a phone call for the member's store (电话回访): one
 * open call a member a day, which lists every notice of that day it stands for, so a day with a
 * reminder and a coupon notice is one call, not two. A call already made that day gets a new one.
 */
async function noChannel(deps: NotifyDeps, message: OutboxMessage, token: string, now: Date): Promise<void> {
  const member = await deps.db.read((m) => m.findOneBy(Member, { id: message.memberId! }));
  const storeId = message.storeId ?? member?.storeId ?? null;
  if (!(await settle(deps.db, message, token, { status: "no_channel", channel: "call", lastError: "会员未授权订阅消息且未绑定微信客服，已转电话回访" }))) return;
  if (storeId === null) return;
  const text = renderText(message.kind as MessageKind, JSON.parse(message.payload) as Vars);
  const dayKey = `call:${message.memberId}:${todayInShanghai(now)}`;
  const task = (dedupeKey: string) => ({ memberId: message.memberId, storeId, messageId: message.id, reason: message.kind, summary: text.slice(0, 500), dedupeKey, status: "open", createdAt: now });
  await deps.db.tx(async (m) => {
    if (await insertIgnore(m, "call_task", task(dayKey))) return;
    // the day's call is open: add this notice to what it is about (atomic, so parallel routers lose nothing)
    const added = await execute(m, "UPDATE call_task SET summary = SUBSTR(CONCAT(summary, '；', ?), 1, 500) WHERE dedupeKey = ? AND status = 'open' AND messageId <> ?", [text, dayKey, message.id]);
    if (added === 0) await insertIgnore(m, "call_task", task(`msg:${message.id}`));
  });
}

/** The mini-program's subscribe message, when the member holds an unspent consent for this kind's template. */
async function trySubscribe(deps: NotifyDeps, message: OutboxMessage, token: string, now: Date): Promise<"done" | "next"> {
  const { db, config, wechat } = deps;
  const templateId = config.notify.subscribeTemplates[message.kind];
  if (!templateId || !wechat.configured) return "next";
  const content = renderSubscribe(message.kind as MessageKind, JSON.parse(message.payload) as Vars, config.notify.subscribePages[message.kind])!; // before the spend: a field that fails costs no accept
  const spend = (delta: number) =>
    db.tx((m) => execute(m, `UPDATE subscribe_consent SET remaining = remaining + ?, updatedAt = ? WHERE memberId = ? AND templateId = ?${delta < 0 ? " AND remaining > 0" : ""}`, [delta, sqlDate(m, now), message.memberId, templateId]));
  if ((await spend(-1)) !== 1) return "next";
  const member = await db.read((m) => m.findOneByOrFail(Member, { id: message.memberId! }));
  const result = await wechat.sendSubscribe({ touser: member.openid, template_id: templateId, page: content.page, data: content.data, miniprogram_state: config.notify.miniprogramState });
  if (result.outcome === "sent") {
    await settle(db, message, token, { status: "sent", channel: "subscribe", sentAt: now, lastError: null });
    return "done";
  }
  if (result.outcome === "refused") {
    // WeChat says the member has nothing left to spend: believe it, and never retry this channel for this message
    await db.tx((m) => execute(m, "UPDATE subscribe_consent SET remaining = 0, updatedAt = ? WHERE memberId = ? AND templateId = ?", [sqlDate(m, now), message.memberId, templateId]));
    message.refusedChannels = [...message.refusedChannels.split(",").filter(Boolean), "subscribe"].join(",");
    message.lastError = `微信拒绝订阅消息（${result.errcode}）`;
    await db.tx((m) => execute(m, "UPDATE outbox_message SET refusedChannels = ?, lastError = ? WHERE id = ? AND leaseToken = ?", [message.refusedChannels, message.lastError, message.id, token]));
    return "next";
  }
  await spend(1); // the accept was not used: give it back
  if (message.messageClass === "marketing") await db.tx((m) => returnWeeklyPlace(m, message.memberId!, now));
  const dead = !result.transient || message.attempts >= config.notify.maxAttempts;
  await settle(db, message, token, dead ? { status: "failed", channel: "subscribe", lastError: `订阅消息发送失败：${result.detail}`.slice(0, 500) } : { status: "queued", lastError: `订阅消息发送失败，稍后重试：${result.detail}`.slice(0, 500), nextAttemptAt: new Date(now.getTime() + backoffMs(message.attempts)) });
  return "done";
}
