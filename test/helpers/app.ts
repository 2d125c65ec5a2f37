import type Koa from "koa";
import request from "supertest";
import { createApp } from "../../server/app.js";
import { loadConfig, type Config } from "../../server/config.js";
import { seed } from "../../server/db/seed.js";
import type { StaffRole } from "../../server/staff/staff.entity.js";
import { createStaff } from "../../server/staff/staff.service.js";
import { openTestDatabase, type DatabaseKind, type TestDatabase } from "./databases.js";
import { FakeWechat } from "./fake-wechat.js";
import { pino } from "pino";
import { WechatClient } from "../../server/auth/wechat-client.js";
import type { SchedulerDeps } from "../../server/jobs/scheduler.js";
import { databaseTokenStore } from "../../server/notify/wechat-token.js";

export const ADMIN_PASSWORD = "admin-pass-123";
export const STAFF_PASSWORD = "staff-pass-123";

/** A clock a test moves by hand: the app's routes and the jobs read it. */
export class TestClock {
  constructor(public time = new Date()) {}
  now = () => new Date(this.time);
  set(at: Date | string) {
    this.time = new Date(at);
  }
  advance(ms: number) {
    this.time = new Date(this.time.getTime() + ms);
  }
}

export interface TestApp {
  t: TestDatabase;
  clock: TestClock;
  /** what the scheduler and the delivery loop get in the server */
  deps: SchedulerDeps;
  config: Config;
  app: Koa;
  wechat: FakeWechat;
  http: ReturnType<typeof request>;
  /** Logs a member in through the dev login and returns the bearer header value and the member. */
  loginMember(openid: string, storeId?: number): Promise<{ auth: string; member: { id: number; memberCode: string; storeId: number } }>;
  /** Creates a staff account of the role (and store) and logs it in. */
  loginStaff(role: StaffRole, storeId: number | null): Promise<{ auth: string; id: number; username: string }>;
  close(): Promise<void>;
}

let staffCounter = 0;

/** A real app on a fresh migrated and seeded database, with a fake WeChat on a local port. */
export async function startTestApp(kind: DatabaseKind, env: Record<string, string> = {}, clock = new TestClock()): Promise<TestApp> {
  const t = await openTestDatabase(kind);
  const wechat = await new FakeWechat().start();
  const config = loadConfig({
    NODE_ENV: "test",
    DATABASE_URL: t.url,
    DEV_LOGIN: "true",
    WECHAT_APPID: "wx-test-app",
    WECHAT_SECRET: "wx-test-secret",
    WECHAT_API_BASE: wechat.url,
    ADMIN_PASSWORD,
    BCRYPT_ROUNDS: "4",
    // the demo stores and members, not their history (test/server/db/demo-history.test.ts asks for it)
    SEED_DEMO_HISTORY: "false",
    // TEST_LOG_LEVEL=error shows the server's logs, e.g. the cause of an unexpected 500
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    ...env,
  });
  await seed(t.db, config);
  const wechatClient = new WechatClient({ ...config.wechat, timeoutMs: 500, tokenStore: databaseTokenStore(t.db) });
  const logger = pino({ level: config.logLevel });
  const app = createApp({ config, db: t.db, wechat: wechatClient, logger, clock: clock.now });
  const deps: SchedulerDeps = { db: t.db, config, wechat: wechatClient, logger, clock: clock.now };
  const http = request(app.callback());
  return {
    t,
    clock,
    deps,
    config,
    app,
    wechat,
    http,
    async loginMember(openid, storeId) {
      const res = await http.post("/api/v1/auth/dev").send({ openid, ...(storeId ? { storeId } : {}) }).expect(200);
      return { auth: `Bearer ${res.body.token}`, member: res.body.member };
    },
    async loginStaff(role, storeId) {
      const username = `${role}${++staffCounter}x${process.pid}`;
      const created = await createStaff(t.db, 4, null, { username, password: STAFF_PASSWORD, name: `测试${role}`, role, storeId });
      const res = await http.post("/api/v1/staff/login").send({ username, password: STAFF_PASSWORD }).expect(200);
      return { auth: `Bearer ${res.body.token}`, id: created.id, username };
    },
    async close() {
      await wechat.stop();
      await t.close();
    },
  };
}
