/** The only bot module that reads process.env; validated once at start, failing with every problem at once. */
export interface BotConfig {
  name: string;
  /** the member-service API the bot reaches all data through */
  apiBaseUrl: string;
  /** this bot account's token, one of the server's BOT_TOKENS */
  botToken: string;
  /** Wechaty puppet, e.g. wechaty-puppet-wechat4u for a real account or wechaty-puppet-mock locally */
  puppet: string;
  /** ms between heartbeats (the server counts a bot offline 90 s after the last one) */
  heartbeatMs: number;
  /** ms between outbox claims when the last claim handed out nothing */
  outboxPollMs: number;
  /** restart backoff after a logout or a puppet crash: first wait and cap, ms */
  restartBaseMs: number;
  restartMaxMs: number;
}

// the same dev default as server/config.ts (dev-bot=…), refused in production
const DEV_BOT_TOKEN = "dev-bot-token-change-me-0123456789abcdef";

export class BotConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid bot configuration:\n  - ${problems.join("\n  - ")}`);
  }
}

export function loadBotConfig(env: Record<string, string | undefined> = process.env): BotConfig {
  const problems: string[] = [];
  const production = env.NODE_ENV === "production";
  const int = (key: string, fallback: number, min: number, max: number) => {
    const raw = env[key]?.trim();
    if (!raw) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) problems.push(`${key} must be an integer from ${min} to ${max} (got "${raw}")`);
    return n;
  };
  const apiBaseUrl = (env.API_BASE_URL?.trim() || "http://127.0.0.1:3000").replace(/\/+$/, "");
  if (!/^https?:\/\/\S+$/.test(apiBaseUrl)) problems.push(`API_BASE_URL must be an http(s) URL (got "${apiBaseUrl}")`);
  const botToken = env.BOT_TOKEN?.trim() || (production ? "" : DEV_BOT_TOKEN);
  if (botToken.length < 32) problems.push("BOT_TOKEN must be this account's token from the server's BOT_TOKENS (32+ characters)");
  const config: BotConfig = {
    name: env.BOT_NAME?.trim() || "aftersales-bot",
    apiBaseUrl,
    botToken,
    puppet: env.WECHATY_PUPPET?.trim() || "wechaty-puppet-mock",
    heartbeatMs: int("BOT_HEARTBEAT_MS", 30_000, 1_000, 80_000),
    outboxPollMs: int("BOT_OUTBOX_POLL_MS", 3_000, 50, 600_000),
    restartBaseMs: int("BOT_RESTART_BASE_MS", 2_000, 100, 600_000),
    restartMaxMs: int("BOT_RESTART_MAX_MS", 300_000, 1_000, 3_600_000),
  };
  if (problems.length) throw new BotConfigError(problems);
  return config;
}
