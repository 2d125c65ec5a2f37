/** Settings the notification tests run with: three kinds have subscribe templates, one bot account has a token. */
export const NOTIFY_ENV = {
  WECHAT_TEMPLATE_BOOKING_REMINDER: "tpl-reminder",
  WECHAT_TEMPLATE_HOLIDAY_GREETING: "tpl-holiday",
  WECHAT_TEMPLATE_MAINTENANCE_DUE: "tpl-maint",
  BOT_TOKENS: "shop-bot=bot-token-0123456789-0123456789-abcdef",
};
export const BOT_AUTH = "Bearer bot-token-0123456789-0123456789-abcdef";

/**
 * The bot account is logged in and heard from (its last heartbeat far ahead of any test clock), so
 * the router may choose it; tests of the offline fallback send real heartbeats instead.
 */
export async function keepBotOnline(s: { t: { db: { tx<T>(fn: (m: import("typeorm").EntityManager) => Promise<T>): Promise<T> } } }, account = "shop-bot") {
  await s.t.db.tx((m) => m.query("DELETE FROM bot_status WHERE botAccount = ?", [account]));
  await s.t.db.tx((m) => m.insert("bot_status", { botAccount: account, loggedIn: true, userName: "测试机器人", lastSeenAt: new Date("2100-01-01T00:00:00Z") }));
}
