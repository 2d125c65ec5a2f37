/** Settings the notification tests run with: three kinds have subscribe templates, one bot account has a token. */
export const NOTIFY_ENV = {
  WECHAT_TEMPLATE_BOOKING_REMINDER: "tpl-reminder",
  WECHAT_TEMPLATE_HOLIDAY_GREETING: "tpl-holiday",
  WECHAT_TEMPLATE_MAINTENANCE_DUE: "tpl-maint",
  BOT_TOKENS: "shop-bot=bot-token-0123456789-0123456789-abcdef",
};
export const BOT_AUTH = "Bearer bot-token-0123456789-0123456789-abcdef";
