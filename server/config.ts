/** The only module that reads process.env: every key is parsed and validated once at start. */
import { validate as cronValidate } from "node-cron";

export interface Config {
  nodeEnv: "development" | "production" | "test";
  host: string;
  port: number;
  databaseUrl: string;
  jwtSecret: string;
  memberTokenTtlSeconds: number;
  staffTokenTtlSeconds: number;
  wechat: { appId: string | null; appSecret: string | null; apiBase: string };
  devLogin: boolean;
  adminPassword: string | null;
  seedDemo: boolean;
  /** with the demo data: staff of every role and ~8 weeks of bookings, points, coupons and complaints (server/db/demo/) */
  seedDemoHistory: boolean;
  bcryptRounds: number;
  bodyLimit: string;
  logLevel: string;
  loyalty: { pointsPerYuan: number; pointsExpiryMonths: number };
  booking: { minNoticeMinutes: number; horizonDays: number; changeCutoffMinutes: number };
  maintenance: { months: number; km: number };
  /** run the scheduled jobs in this process */
  jobsEnabled: boolean;
  database: DatabaseTuning;
  notify: NotifyConfig;
  complaints: ComplaintsConfig;
}

export interface ComplaintsConfig {
  /** calendar: SLA hours run day and night; business: only while the complaint's store is open (its calendar) */
  slaClock: "calendar" | "business";
  /** hours to the first response and to resolution: normal, major, and per category (COMPLAINT_SLA_<CATEGORY>=first/resolution) */
  sla: { first: number; resolution: number };
  majorSla: { first: number; resolution: number };
  categorySla: Record<string, { first: number; resolution: number }>;
  /** hours within which a manager files a major complaint's escalation report (预警报备) */
  escalationHours: number;
  /** words that make a complaint major, matched on Simplified text (Traditional is converted first) */
  majorWords: string[];
  /** a second complaint by the same person within this many days is major */
  repeatDays: number;
  /** fen a role may grant as compensation without approval */
  compensationLimits: Record<"advisor" | "agent" | "manager" | "admin", number>;
  /** fen one point is worth when compensation is points */
  fenPerPoint: number;
  /** days after resolution in which the survey may reopen it; unanswered, it closes then */
  surveyDays: number;
  photoDir: string;
  /** bytes */
  photoMaxBytes: number;
}

export interface NotifyConfig {
  /** message kind → the WeChat subscribe-message template id (WECHAT_TEMPLATE_<KIND>); a kind without one never goes that way */
  subscribeTemplates: Record<string, string>;
  /** message kind → the mini-program page its subscribe message opens, with {variables} (WECHAT_PAGE_<KIND>); the template's own page otherwise */
  subscribePages: Record<string, string>;
  /** mini-program version a subscribe message opens: developer, trial or formal */
  miniprogramState: "developer" | "trial" | "formal";
  /** bot account → its API token (BOT_TOKENS=account=token,…) */
  botTokens: Record<string, string>;
  botDailyLimit: number;
  botPerContactDaily: number;
  botMinGapSeconds: number;
  botJitterSeconds: number;
  botLeaseSeconds: number;
  /** a bot account whose last heartbeat is older than this (or that logged out) is no channel */
  botOfflineAfterSeconds: number;
  /** least spacing of conversational messages (chat relay) per bot account */
  botChatGapSeconds: number;
  /** Shanghai hours during which marketing waits (from, to) */
  quietHours: [number, number];
  marketingWeeklyCap: number;
  maxAttempts: number;
  /** ms between the delivery loop's rounds in each instance */
  pollMs: number;
  /** festival names greeted on their day (chinese-days names, plus 元旦 and 国庆节) */
  holidays: string[];
  /** months without a visit after which a top-spending member is on the win-back list */
  winBackMonths: number;
  /** job key (its name with every non-alphanumeric as _, lower case) → cron expression (JOB_CRON_<KEY>) */
  cron: Record<string, string>;
}

export interface DatabaseTuning {
  /** on a Galera node: which reads wait for the node to catch up with the cluster (wsrep_sync_wait) */
  causalReads: "member" | "all" | "off";
  /** attempts of a transaction that lost a conflict (deadlock, Galera certification) */
  retryAttempts: number;
  /** ms: total time a transaction may spend retrying before the request answers 503 BUSY */
  retryBudgetMs: number;
  /** ms: longest wait for a pooled connection before the request answers 503 DB_UNAVAILABLE */
  acquireTimeoutMs: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join("\n  - ")}`);
  }
}

const DEV_JWT_SECRET = "dev-only-secret-change-me-0123456789abcdef";
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

type Env = Record<string, string | undefined>;

/** Parses and validates the environment; throws ConfigError listing every bad key. */
export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const read = (key: string) => {
    const value = env[key]?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const int = (key: string, fallback: number, min: number, max: number) => {
    const raw = read(key);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push(`${key} must be an integer between ${min} and ${max} (got "${raw}")`);
      return fallback;
    }
    return value;
  };
  const bool = (key: string, fallback: boolean) => {
    const raw = read(key);
    if (raw === undefined) return fallback;
    if (["1", "true", "yes"].includes(raw.toLowerCase())) return true;
    if (["0", "false", "no"].includes(raw.toLowerCase())) return false;
    problems.push(`${key} must be true or false (got "${raw}")`);
    return fallback;
  };

  const nodeEnv = (read("NODE_ENV") ?? "development") as Config["nodeEnv"];
  if (!["development", "production", "test"].includes(nodeEnv)) {
    problems.push(`NODE_ENV must be development, production or test (got "${nodeEnv}")`);
  }
  const production = nodeEnv === "production";

  const databaseUrl = read("DATABASE_URL") ?? "sqlite:./data/app.sqlite";
  if (!/^(mysql|mariadb):\/\/.+/.test(databaseUrl) && !/^sqlite:.+/.test(databaseUrl)) {
    problems.push(`DATABASE_URL must look like mysql://user:pass@host:3306/db or sqlite:./data/app.sqlite (got "${databaseUrl}")`);
  }

  let jwtSecret = read("JWT_SECRET");
  if (jwtSecret === undefined) {
    if (production) problems.push("JWT_SECRET is required when NODE_ENV=production");
    jwtSecret = DEV_JWT_SECRET;
  } else if (jwtSecret.length < 32) {
    problems.push("JWT_SECRET must be at least 32 characters");
  } else if (production && jwtSecret === DEV_JWT_SECRET) {
    problems.push("JWT_SECRET must not be the development default in production");
  }

  const appId = read("WECHAT_APPID") ?? null;
  const appSecret = read("WECHAT_SECRET") ?? null;
  if ((appId === null) !== (appSecret === null)) problems.push("WECHAT_APPID and WECHAT_SECRET must be set together");
  if (production && appId === null) problems.push("WECHAT_APPID and WECHAT_SECRET are required when NODE_ENV=production");
  const apiBase = (read("WECHAT_API_BASE") ?? "https://api.weixin.qq.com").replace(/\/+$/, "");
  if (!/^https?:\/\/[^\s]+$/.test(apiBase)) problems.push(`WECHAT_API_BASE must be an http(s) URL (got "${apiBase}")`);

  // Dev login is on by default only when WeChat is not configured, and never in production.
  const devLogin = bool("DEV_LOGIN", appId === null && !production);
  if (devLogin && production) problems.push("DEV_LOGIN cannot be enabled when NODE_ENV=production");

  const adminPassword = read("ADMIN_PASSWORD") ?? null;
  if (adminPassword !== null && adminPassword.length < 8) problems.push("ADMIN_PASSWORD must be at least 8 characters");

  const bodyLimit = read("BODY_LIMIT") ?? "100kb";
  if (!/^\d+(b|kb|mb)$/i.test(bodyLimit)) problems.push(`BODY_LIMIT must look like 100kb or 1mb (got "${bodyLimit}")`);

  const logLevel = read("LOG_LEVEL") ?? (nodeEnv === "test" ? "silent" : "info");
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")} (got "${logLevel}")`);

  const causalReads = (read("DB_CAUSAL_READS") ?? "member") as DatabaseTuning["causalReads"];
  if (!["member", "all", "off"].includes(causalReads)) problems.push(`DB_CAUSAL_READS must be member, all or off (got "${causalReads}")`);

  const seedDemo = bool("SEED_DEMO", !production);
  const notify = notifyConfig(env, read, int, problems, production);
  const complaints = complaintsConfig(env, read, int, problems);

  const config: Config = {
    nodeEnv,
    host: read("HOST") ?? "127.0.0.1",
    port: int("PORT", 3000, 0, 65535),
    databaseUrl,
    jwtSecret,
    memberTokenTtlSeconds: int("MEMBER_TOKEN_TTL_SECONDS", 7 * 24 * 3600, 60, 90 * 24 * 3600),
    staffTokenTtlSeconds: int("STAFF_TOKEN_TTL_SECONDS", 12 * 3600, 60, 7 * 24 * 3600),
    wechat: { appId, appSecret, apiBase },
    devLogin,
    adminPassword,
    seedDemo,
    // the history needs the demo stores and members: it is never on without SEED_DEMO
    seedDemoHistory: seedDemo && bool("SEED_DEMO_HISTORY", seedDemo),
    bcryptRounds: int("BCRYPT_ROUNDS", production ? 12 : 10, production ? 10 : 4, 15),
    bodyLimit,
    logLevel,
    loyalty: {
      pointsPerYuan: int("POINTS_PER_YUAN", 1, 1, 10),
      pointsExpiryMonths: int("POINTS_EXPIRY_MONTHS", 24, 1, 120),
    },
    booking: {
      minNoticeMinutes: int("BOOKING_MIN_NOTICE_MINUTES", 120, 0, 7 * 24 * 60),
      horizonDays: int("BOOKING_HORIZON_DAYS", 30, 1, 365),
      changeCutoffMinutes: int("BOOKING_CHANGE_CUTOFF_MINUTES", 120, 0, 7 * 24 * 60),
    },
    maintenance: {
      months: int("MAINTENANCE_INTERVAL_MONTHS", 6, 1, 36),
      km: int("MAINTENANCE_INTERVAL_KM", 5000, 500, 100_000),
    },
    jobsEnabled: bool("JOBS_ENABLED", true),
    database: {
      causalReads,
      retryAttempts: int("DB_RETRY_ATTEMPTS", 10, 1, 50),
      retryBudgetMs: int("DB_RETRY_BUDGET_MS", 5000, 100, 60_000),
      acquireTimeoutMs: int("DB_ACQUIRE_TIMEOUT_MS", 5000, 100, 60_000),
    },
    notify,
    complaints,
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

const DEV_BOT_TOKEN = "dev-bot-token-change-me-0123456789abcdef";

function notifyConfig(env: Env, read: (key: string) => string | undefined, int: (key: string, fallback: number, min: number, max: number) => number, problems: string[], production: boolean): NotifyConfig {
  const subscribeTemplates: Record<string, string> = {};
  const cron: Record<string, string> = {};
  const subscribePages: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (!value?.trim()) continue;
    if (key.startsWith("WECHAT_TEMPLATE_")) subscribeTemplates[key.slice(16).toLowerCase()] = value.trim();
    if (key.startsWith("WECHAT_PAGE_")) subscribePages[key.slice(12).toLowerCase()] = value.trim();
    if (key.startsWith("JOB_CRON_")) {
      if (!cronValidate(value.trim())) problems.push(`${key} must be a cron expression like "0 18 * * *" (got "${value.trim()}")`);
      else cron[key.slice(9).toLowerCase()] = value.trim();
    }
  }
  const botTokens: Record<string, string> = {};
  const rawTokens = read("BOT_TOKENS") ?? (production ? "" : `dev-bot=${DEV_BOT_TOKEN}`);
  for (const pair of rawTokens.split(",").filter(Boolean)) {
    const [account, token] = pair.split("=").map((part) => part?.trim());
    if (!account || !token || token.length < 32) problems.push(`BOT_TOKENS must be account=token pairs with tokens of at least 32 characters (got "${pair}")`);
    else botTokens[account] = token;
  }
  const state = (read("WECHAT_MINIPROGRAM_STATE") ?? (production ? "formal" : "developer")) as NotifyConfig["miniprogramState"];
  if (!["developer", "trial", "formal"].includes(state)) problems.push(`WECHAT_MINIPROGRAM_STATE must be developer, trial or formal (got "${state}")`);
  return {
    subscribeTemplates,
    subscribePages,
    miniprogramState: state,
    botTokens,
    botDailyLimit: int("BOT_DAILY_LIMIT", 30, 0, 10_000),
    botPerContactDaily: int("BOT_PER_CONTACT_DAILY", 1, 1, 100),
    botMinGapSeconds: int("BOT_MIN_GAP_SECONDS", 20, 0, 3600),
    botJitterSeconds: int("BOT_JITTER_SECONDS", 10, 0, 3600),
    botLeaseSeconds: int("BOT_LEASE_SECONDS", 120, 5, 3600),
    botOfflineAfterSeconds: int("BOT_OFFLINE_AFTER_SECONDS", 90, 10, 3600),
    botChatGapSeconds: int("BOT_CHAT_GAP_SECONDS", 2, 0, 60),
    quietHours: [int("QUIET_HOURS_FROM", 21, 0, 23), int("QUIET_HOURS_TO", 8, 0, 23)],
    marketingWeeklyCap: int("MARKETING_WEEKLY_CAP", 2, 0, 100),
    maxAttempts: int("NOTIFY_MAX_ATTEMPTS", 5, 1, 50),
    pollMs: int("NOTIFY_POLL_MS", 5000, 100, 600_000),
    holidays: (read("HOLIDAY_GREETINGS") ?? "元旦,春节,端午节,中秋节,国庆节").split(",").map((h) => h.trim()).filter(Boolean),
    winBackMonths: int("WIN_BACK_MONTHS", 6, 1, 60),
    cron,
  };
}

const MAJOR_WORDS = "媒体,曝光,记者,电视台,12315,消协,投诉到厂家,厂家投诉,律师,起诉,法院,退车,换车,堵门,闹事,拉横幅";

function complaintsConfig(env: Env, read: (key: string) => string | undefined, int: (key: string, fallback: number, min: number, max: number) => number, problems: string[]): ComplaintsConfig {
  const slaClock = (read("COMPLAINT_SLA_CLOCK") ?? "calendar") as ComplaintsConfig["slaClock"];
  if (!["calendar", "business"].includes(slaClock)) problems.push(`COMPLAINT_SLA_CLOCK must be calendar or business (got "${slaClock}")`);
  const categorySla: ComplaintsConfig["categorySla"] = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith("COMPLAINT_SLA_") || key === "COMPLAINT_SLA_CLOCK" || !value?.trim()) continue;
    const match = /^(\d{1,4})\/(\d{1,4})$/.exec(value.trim());
    if (!match || Number(match[1]) < 1 || Number(match[2]) < Number(match[1])) problems.push(`${key} must be first/resolution hours like 24/168, resolution not shorter (got "${value.trim()}")`);
    else categorySla[key.slice(14).toLowerCase()] = { first: Number(match[1]), resolution: Number(match[2]) };
  }
  const limit = (role: string, fallback: number) => int(`COMPLAINT_LIMIT_${role.toUpperCase()}`, fallback, 0, 100_000_000);
  return {
    slaClock,
    sla: { first: int("COMPLAINT_FIRST_RESPONSE_HOURS", 24, 1, 720), resolution: int("COMPLAINT_RESOLUTION_HOURS", 168, 1, 2160) },
    majorSla: { first: int("COMPLAINT_MAJOR_FIRST_RESPONSE_HOURS", 4, 1, 720), resolution: int("COMPLAINT_MAJOR_RESOLUTION_HOURS", 72, 1, 2160) },
    categorySla,
    escalationHours: int("COMPLAINT_ESCALATION_HOURS", 24, 1, 720),
    majorWords: (read("COMPLAINT_MAJOR_WORDS") ?? MAJOR_WORDS).split(/[,，]/).map((w) => w.trim()).filter(Boolean),
    repeatDays: int("COMPLAINT_REPEAT_DAYS", 30, 1, 365),
    compensationLimits: { advisor: limit("advisor", 0), agent: limit("agent", 5_000), manager: limit("manager", 50_000), admin: limit("admin", 10_000_000) },
    fenPerPoint: int("COMPLAINT_FEN_PER_POINT", 1, 1, 10_000),
    surveyDays: int("COMPLAINT_SURVEY_DAYS", 7, 1, 90),
    photoDir: read("COMPLAINT_PHOTO_DIR") ?? "./data/complaint-photos",
    photoMaxBytes: int("COMPLAINT_PHOTO_MAX_BYTES", 5 * 1024 * 1024, 1024, 50 * 1024 * 1024),
  };
}
