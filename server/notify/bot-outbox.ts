import { randomInt, randomUUID } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { NotifyConfig } from "../config.js";
import type { Database } from "../db/database.js";
import { execute, sqlDate, updateElseInsert } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import { todayInShanghai } from "../http/time.js";
import { addCalendarDays, shanghaiInstant } from "../stores/calendar.js";
import { backoffMs } from "./deliver.js";
import { obsoleteReason, retireExpired, retireMessage } from "./expiry.js";
import { OutboxMessage } from "./notify.entity.js";
import { CONVERSATIONAL_KINDS, renderText, type MessageKind, type Vars } from "./templates.js";

export interface ClaimedMessage {
  id: number;
  leaseToken: string;
  leaseUntil: string;
  contactId: string;
  kind: string;
  text: string;
}

interface Retired {
  id: number;
  reason: string;
}

class NothingToSend extends Error {
  /**
   * deferred: messages whose contact had its sends for the day, moved to tomorrow morning once this
   * transaction is rolled back; retired: messages no use any more, retired then
   */
  constructor(
    readonly deferred: number[] = [],
    readonly retired: Retired[] = [],
  ) {
    super("nothing to send");
  }
}

// waiting for this account's bot, or handed out before and never acknowledged within the lease; never past its expiry
const CLAIMABLE = "channel = 'bot' AND botAccount = ? AND ((status = 'queued' AND nextAttemptAt <= ?) OR (status = 'sending' AND leaseUntil < ?)) AND (expiresAt IS NULL OR expiresAt > ?)";
const CHAT_KINDS = CONVERSATIONAL_KINDS.map((k) => `'${k}'`).join(", ");

/**
 * Hands a bot account its due messages, within its budget: at most botDailyLimit a day, botPerContactDaily
 * per contact, and one every botMinGapSeconds plus jitter. Each handout takes a budget place and the
 * message itself by compare-and-set in one transaction, so parallel claims never get the same message.
 */
export async function claimBotMessages(db: Database, config: NotifyConfig, account: string, max: number, now = new Date()): Promise<ClaimedMessage[]> {
  const claimed: ClaimedMessage[] = [];
  await retireExpired(db, now);
  while (claimed.length < max) {
    try {
      claimed.push(await db.tx((m) => claimOne(m, config, account, now)));
    } catch (err) {
      if (!(err instanceof NothingToSend)) throw err;
      if (err.deferred.length || err.retired.length) {
        await db.tx(async (m) => {
          await deferToTomorrow(m, err.deferred, now);
          for (const r of err.retired) await retireMessage(m, r.id, r.reason, now);
        });
      }
      break;
    }
  }
  return claimed;
}

/** Messages whose contact has had its sends today wait until 09:00 tomorrow, out of the way of the other contacts' messages. */
async function deferToTomorrow(m: EntityManager, ids: number[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  const tomorrow = shanghaiInstant(addCalendarDays(todayInShanghai(now), 1), "09:00");
  await execute(m, `UPDATE outbox_message SET nextAttemptAt = ? WHERE status = 'queued' AND id IN (${ids.map(Number).join(", ")})`, [sqlDate(m, tomorrow)]);
}

const lockOf = (m: EntityManager) => (m.connection.options.type === "better-sqlite3" ? "" : " FOR UPDATE SKIP LOCKED");

async function hand(m: EntityManager, config: NotifyConfig, account: string, candidate: { id: number; contactId: string; kind: string; payload: string }, now: Date): Promise<ClaimedMessage> {
  const at = sqlDate(m, now);
  const leaseToken = randomUUID();
  const leaseUntil = new Date(now.getTime() + config.botLeaseSeconds * 1000);
  const taken = await execute(m, `UPDATE outbox_message SET status = 'sending', leaseToken = ?, leaseUntil = ?, attempts = attempts + 1 WHERE id = ? AND ${CLAIMABLE}`, [leaseToken, sqlDate(m, leaseUntil), candidate.id, account, at, at, at]);
  if (taken !== 1) throw new Error("a claimable message was taken under its row lock"); // rolls the budget back; cannot happen with the lock
  return { id: Number(candidate.id), leaseToken, leaseUntil: leaseUntil.toISOString(), contactId: candidate.contactId, kind: candidate.kind, text: renderText(candidate.kind as MessageKind, JSON.parse(candidate.payload) as Vars) };
}

/**
 * A conversational message (the recipient is chatting): outside the daily budget and the per-contact
 * rule, only BOT_CHAT_GAP_SECONDS apart per account; null when none waits or the gap has not passed.
 */
async function claimConversational(m: EntityManager, config: NotifyConfig, account: string, now: Date): Promise<ClaimedMessage | null> {
  if (!CHAT_KINDS) return null;
  const at = sqlDate(m, now);
  // a plain read first: a locking scan here would hold the unprompted rows for a moment, and parallel claims would skip them
  const waiting = (await m.query(`SELECT id FROM outbox_message WHERE ${CLAIMABLE} AND kind IN (${CHAT_KINDS}) ORDER BY nextAttemptAt, id LIMIT 5`, [account, at, at, at])) as { id: number }[];
  let candidate: { id: number; contactId: string; kind: string; payload: string } | undefined;
  for (const { id } of waiting) {
    [candidate] = await m.query(`SELECT id, contactId, kind, payload FROM outbox_message WHERE id = ? AND ${CLAIMABLE}${lockOf(m)}`, [id, account, at, at, at]);
    if (candidate) break;
  }
  if (!candidate) return null;
  const next = new Date(now.getTime() + config.botChatGapSeconds * 1000);
  const paced = await updateElseInsert(m, "UPDATE bot_chat_pace SET nextSendAt = ? WHERE botAccount = ? AND nextSendAt <= ?", [sqlDate(m, next), account, at], "bot_chat_pace", { botAccount: account, nextSendAt: next });
  return paced ? hand(m, config, account, candidate, now) : null;
}

async function claimOne(m: EntityManager, config: NotifyConfig, account: string, now: Date): Promise<ClaimedMessage> {
  const chat = await claimConversational(m, config, account, now);
  if (chat) return chat;
  const day = todayInShanghai(now);
  const at = sqlDate(m, now);
  const gapMs = (config.botMinGapSeconds + (config.botJitterSeconds > 0 ? randomInt(config.botJitterSeconds * 1000) / 1000 : 0)) * 1000;
  const nextSendAt = new Date(now.getTime() + gapMs);
  if (config.botDailyLimit < 1) throw new NothingToSend();
  const budget = await updateElseInsert(m, "UPDATE bot_send_budget SET sent = sent + 1, nextSendAt = ? WHERE botAccount = ? AND day = ? AND sent < ? AND nextSendAt <= ?", [sqlDate(m, nextSendAt), account, day, config.botDailyLimit, at], "bot_send_budget", { botAccount: account, day, sent: 1, nextSendAt });
  if (!budget) throw new NothingToSend();
  const unprompted = CHAT_KINDS ? ` AND kind NOT IN (${CHAT_KINDS})` : "";
  const candidates = (await m.query(`SELECT id, contactId, kind, payload FROM outbox_message WHERE ${CLAIMABLE}${unprompted} ORDER BY nextAttemptAt, id LIMIT 20${lockOf(m)}`, [account, at, at, at])) as { id: number; contactId: string; kind: string; payload: string }[];
  const deferred: number[] = [];
  const retired: Retired[] = [];
  for (const candidate of candidates) {
    // the car may have been collected (or the booking moved) since the router chose the bot
    const reason = await obsoleteReason(m, { ...candidate, expiresAt: null }, now); // the query left out the expired
    if (reason) {
      await retireMessage(m, candidate.id, reason, now);
      retired.push({ id: candidate.id, reason });
      continue;
    }
    const contactOk = await updateElseInsert(
      m,
      "UPDATE bot_contact_day SET sent = CASE WHEN lastMessageId = ? THEN sent ELSE sent + 1 END, lastMessageId = ? WHERE botAccount = ? AND contactId = ? AND day = ? AND (sent < ? OR lastMessageId = ?)",
      [candidate.id, candidate.id, account, candidate.contactId, day, config.botPerContactDaily, candidate.id],
      "bot_contact_day",
      { botAccount: account, contactId: candidate.contactId, day, sent: 1, lastMessageId: candidate.id },
    );
    if (!contactOk) {
      deferred.push(candidate.id);
      continue;
    }
    const handed = await hand(m, config, account, candidate, now);
    await deferToTomorrow(m, deferred, now);
    return handed;
  }
  throw new NothingToSend(deferred, retired); // rolls the budget place back
}

export type BotResult = "sent" | "failed" | "refused";

/**
 * The bot's word on one message it was handed. Only the holder of the current lease may settle it:
 * a late answer for a lease that ran out and was handed again gets 409 and changes nothing.
 */
export async function ackBotMessage(db: Database, config: NotifyConfig, account: string, id: number, body: { leaseToken: string; result: BotResult; error?: string }, now = new Date()) {
  return db.tx(async (m) => {
    const message = await m.findOneBy(OutboxMessage, { id, botAccount: account, channel: "bot" });
    if (!message) throw new AppError("MESSAGE_NOT_FOUND", "消息不存在");
    const guard = "WHERE id = ? AND status = 'sending' AND leaseToken = ?";
    const error = body.error?.slice(0, 400) ?? null;
    let status: OutboxMessage["status"];
    let changed: number;
    if (body.result === "sent") {
      status = "sent";
      changed = await execute(m, `UPDATE outbox_message SET status = 'sent', sentAt = ?, lastError = NULL, leaseToken = NULL, leaseUntil = NULL ${guard}`, [sqlDate(m, now), id, body.leaseToken]);
    } else if (body.result === "refused") {
      // the contact cannot be reached this way (e.g. no longer a friend): the router picks the next channel
      status = "queued";
      const refused = [...message.refusedChannels.split(",").filter(Boolean), "bot"].join(",");
      changed = await execute(m, `UPDATE outbox_message SET status = 'queued', channel = NULL, refusedChannels = ?, lastError = ?, nextAttemptAt = ?, leaseToken = NULL, leaseUntil = NULL ${guard}`, [refused, `机器人无法送达：${error ?? "联系人不可达"}`, sqlDate(m, now), id, body.leaseToken]);
    } else {
      const dead = message.attempts >= config.maxAttempts;
      status = dead ? "failed" : "queued";
      changed = await execute(m, `UPDATE outbox_message SET status = ?, lastError = ?, nextAttemptAt = ?, leaseToken = NULL, leaseUntil = NULL ${guard}`, [status, `机器人发送失败：${error ?? "未知原因"}`, sqlDate(m, new Date(now.getTime() + backoffMs(message.attempts))), id, body.leaseToken]);
    }
    if (changed !== 1) throw new AppError("MESSAGE_LEASE_LOST", "该消息的领取已失效（已超时或已处理），请勿重复发送", { status: message.status });
    return { id, status };
  });
}
