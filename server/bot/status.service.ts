import type { EntityManager } from "typeorm";
import type { NotifyConfig } from "../config.js";
import { fromSqlDate, sqlDate, updateElseInsert } from "../db/sql.js";
import { BotStatus } from "./bot.entity.js";

/** The instant before which a heartbeat is too old for the account to count as online. */
export const onlineSince = (config: NotifyConfig, now: Date) => new Date(now.getTime() - config.botOfflineAfterSeconds * 1000);

/** SQL (with its two parameters, see onlineParams) for the accounts online now: logged in, heard from within the window. */
export const ONLINE_ACCOUNTS = "SELECT botAccount FROM bot_status WHERE loggedIn = ? AND lastSeenAt >= ?";
export const onlineParams = (m: EntityManager, config: NotifyConfig, now: Date) => [true, sqlDate(m, onlineSince(config, now))];

/** Whether the router may hand a message to this bot account now. */
export async function isBotOnline(m: EntityManager, config: NotifyConfig, account: string, now: Date): Promise<boolean> {
  const rows = (await m.query(`${ONLINE_ACCOUNTS} AND botAccount = ?`, [...onlineParams(m, config, now), account])) as unknown[];
  return rows.length > 0;
}

/** The bot's heartbeat (every 30 s, and at login and logout). */
export async function recordHeartbeat(m: EntityManager, account: string, body: { loggedIn: boolean; userName?: string }, now: Date) {
  const userName = body.userName?.slice(0, 64) ?? null;
  await updateElseInsert(m, "UPDATE bot_status SET loggedIn = ?, userName = COALESCE(?, userName), lastSeenAt = ? WHERE botAccount = ?", [body.loggedIn, userName, sqlDate(m, now), account], "bot_status", {
    botAccount: account, loggedIn: body.loggedIn, userName, lastSeenAt: now,
  });
  return { account, loggedIn: body.loggedIn, lastSeenAt: now.toISOString() };
}

/** Every configured account and every account that ever reported, with whether it is online now. */
export async function listBotStatus(m: EntityManager, config: NotifyConfig, now: Date) {
  const rows = await m.find(BotStatus, { order: { botAccount: "ASC" } });
  const since = onlineSince(config, now);
  const accounts = [...new Set([...Object.keys(config.botTokens), ...rows.map((r) => r.botAccount)])].sort();
  return accounts.map((account) => {
    const row = rows.find((r) => r.botAccount === account);
    const lastSeenAt = row ? fromSqlDate(row.lastSeenAt) : null;
    return { account, loggedIn: row?.loggedIn ?? false, userName: row?.userName ?? null, lastSeenAt: lastSeenAt?.toISOString() ?? null, online: !!row?.loggedIn && lastSeenAt !== null && lastSeenAt >= since };
  });
}
