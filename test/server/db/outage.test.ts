import { pino } from "pino";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { QueryFailedError } from "typeorm";
import { createApp } from "../../../server/app.js";
import { AppError } from "../../../server/http/app-error.js";
import { createDataSource } from "../../../server/db/data-source.js";
import { Database } from "../../../server/db/database.js";
import { isConflict, isUnavailable } from "../../../server/db/errors.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { TcpProxy } from "../../helpers/tcp-proxy.js";

const mysqlUrl = process.env.TEST_MYSQL_URL;

describe.runIf(mysqlUrl)("a MariaDB outage, seen through a TCP proxy that takes the database away", () => {
  let s: TestApp;
  let proxy: TcpProxy;
  let db: Database;
  let http: ReturnType<typeof request>;
  const logs: { level: number; msg: string }[] = [];
  let member: string;
  let manager: string;

  beforeAll(async () => {
    s = await startTestApp("mariadb");
    member = (await s.loginMember("outage-member", 1)).auth;
    manager = (await s.loginStaff("manager", null)).auth;
    const target = new URL(s.t.url);
    proxy = await new TcpProxy(target.hostname, Number(target.port || 3306)).up();
    const dataSource = await createDataSource(proxy.url(s.t.url)).initialize();
    const logger = pino({ level: "info" }, { write: (line: string) => logs.push(JSON.parse(line)) });
    db = new Database(dataSource, { acquireTimeoutMs: 700 });
    http = request(createApp({ config: s.config, db, logger }).callback());
  });
  afterAll(async () => {
    await proxy.up();
    // the pool still holds connections the proxy cut; ending them may report that
    await db.dataSource.destroy().catch(() => undefined);
    await proxy.down();
    await s.close();
  });

  const outageLogs = () => logs.filter((l) => /database unavailable/.test(l.msg));
  const expectBusyAnswer = (res: request.Response) => {
    expect(res.status).toBe(503);
    expect(res.body.error).toEqual({ code: "DB_UNAVAILABLE", message: "系统繁忙，请稍后再试", details: null });
    expect(res.headers["retry-after"]).toBe("5");
  };

  it("answers 503 DB_UNAVAILABLE with Retry-After to members, staff and writes while it is down, logs it once, and recovers by itself", async () => {
    expect((await http.get("/api/v1/me").set("Authorization", member)).status).toBe(200);
    await proxy.down();
    for (let i = 0; i < 10; i++) {
      expectBusyAnswer(await http.get("/api/v1/me").set("Authorization", member));
      expectBusyAnswer(await http.get("/api/v1/staff/bookings/late").set("Authorization", manager));
      expectBusyAnswer(await http.patch("/api/v1/me").set("Authorization", member).send({ nickname: `断线${i}` }));
    }
    expect((await http.get("/readyz")).status).toBe(503);
    expect(outageLogs()).toHaveLength(1);

    await proxy.up();
    let status = 0;
    for (let i = 0; i < 50 && status !== 200; i++) {
      status = (await http.get("/api/v1/me").set("Authorization", member)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(status).toBe(200);
    expect(logs.filter((l) => /database available again/.test(l.msg))).toHaveLength(1);
    // nothing the members tried to write during the outage was stored
    expect((await http.get("/api/v1/me").set("Authorization", member)).body.nickname).not.toMatch(/断线/);
  }, 30_000);

  it("answers 503 within the acquire timeout when connections hang instead of failing, and logs the new outage once", async () => {
    const before = outageLogs().length;
    proxy.blackhole();
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: 5 }, () => http.get("/api/v1/me").set("Authorization", member)));
    answers.forEach(expectBusyAnswer);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(outageLogs().length - before).toBe(1);
    await proxy.up();
  }, 30_000);
});

describe.runIf(mysqlUrl)("a transaction that keeps losing conflicts", () => {
  it("runs again with backoff, within its attempts and its time budget, then answers 503 BUSY", async () => {
    const s = await startTestApp("mariadb");
    try {
      const db = new Database(s.t.dataSource, { retryAttempts: 6, retryBudgetMs: 3000 });
      let attempts = 0;
      const started = Date.now();
      const outcome = await db
        .tx(async (m) => {
          attempts++;
          await m.query("SELECT 1");
          throw new QueryFailedError("UPDATE …", [], Object.assign(new Error("Deadlock found when trying to get lock"), { code: "ER_LOCK_DEADLOCK", errno: 1213 }));
        })
        .catch((err) => err);
      expect(outcome).toBeInstanceOf(AppError);
      expect(outcome.code).toBe("BUSY");
      expect(attempts).toBe(6);
      expect(Date.now() - started).toBeLessThan(3000);
      // a transaction that wins on its second try simply succeeds
      let tries = 0;
      const value = await db.tx(async () => {
        if (++tries === 1) throw new QueryFailedError("UPDATE …", [], Object.assign(new Error("Deadlock"), { code: "ER_LOCK_DEADLOCK", errno: 1213 }));
        return "committed";
      });
      expect(value).toBe("committed");
    } finally {
      await s.close();
    }
  });
});

describe("which driver errors mean what", () => {
  it("treats refused and lost connections and a Galera node that is not ready as an outage", () => {
    for (const err of [{ code: "ECONNREFUSED" }, { code: "PROTOCOL_CONNECTION_LOST" }, { errno: 1047, code: "ER_UNKNOWN_COM_ERROR", message: "WSREP has not yet prepared node for application use" }, new Error("Pool is closed.")]) {
      expect(isUnavailable(err)).toBe(true);
    }
    expect(isUnavailable({ code: "ER_DUP_ENTRY", errno: 1062 })).toBe(false);
  });

  it("retries deadlocks and Galera certification failures, nothing else", () => {
    expect(isConflict({ code: "ER_LOCK_DEADLOCK", errno: 1213 })).toBe(true);
    expect(isConflict({ code: "ER_LOCK_WAIT_TIMEOUT", errno: 1205 })).toBe(true);
    expect(isConflict({ code: "ER_DUP_ENTRY", errno: 1062 })).toBe(false);
  });
});
