/** The only module that reads process.env: every key is parsed and validated once at start. */

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
  bcryptRounds: number;
  bodyLimit: string;
  logLevel: string;
  loyalty: { pointsPerYuan: number; pointsExpiryMonths: number };
  booking: { minNoticeMinutes: number; horizonDays: number; changeCutoffMinutes: number };
  maintenance: { months: number; km: number };
  /** run the scheduled jobs in this process */
  jobsEnabled: boolean;
  database: DatabaseTuning;
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
    seedDemo: bool("SEED_DEMO", !production),
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
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
