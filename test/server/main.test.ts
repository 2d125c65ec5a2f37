import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startServerProcess, stopServerProcess } from "../helpers/processes.js";

const dir = mkdtempSync(join(tmpdir(), "aftersales-main-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const start = (env: Record<string, string>) => startServerProcess({ DATABASE_URL: `sqlite:${join(dir, "app.sqlite")}`, ...env });
const stop = stopServerProcess;

describe("npm start", () => {
  it("creates, migrates and seeds the SQLite file, prints the admin password once, and stops cleanly on SIGTERM", async () => {
    const first = start({});
    const url = await first.listening;
    expect(first.output()).toMatch(/管理员账号已创建：用户名 admin，初始密码 (\S+)/);
    const password = /初始密码 (\S+)/.exec(first.output())![1];
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const stores = (await (await fetch(`${url}/api/v1/stores`)).json()) as unknown[];
    expect(stores).toHaveLength(2);
    const login = await fetch(`${url}/api/v1/staff/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ username: "admin", password }) });
    expect(login.status).toBe(200);
    const demo = await fetch(`${url}/api/v1/auth/dev`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ openid: "demo-member-1" }) });
    const { token } = (await demo.json()) as { token: string };
    const cars = (await (await fetch(`${url}/api/v1/me/assets`, { headers: { authorization: `Bearer ${token}` } })).json()) as { plate: string }[];
    expect(cars.map((c) => c.plate)).toEqual(["沪A12345"]);
    expect(await stop(first)).toBe(0);

    const second = start({});
    await second.listening;
    expect(second.output()).not.toMatch(/初始密码/);
    expect(await stop(second)).toBe(0);
  }, 60_000);

  it("refuses to start with a bad configuration and says which key is wrong", async () => {
    const bad = start({ PORT: "abc", NODE_ENV: "production" });
    expect(await bad.exited).toBe(1);
    expect(bad.output()).toMatch(/PORT must be an integer/);
    expect(bad.output()).toMatch(/JWT_SECRET is required/);
  }, 30_000);
});
