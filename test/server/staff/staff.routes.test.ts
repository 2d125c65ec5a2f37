import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLog } from "../../../server/audit/audit.entity.js";
import { StaffAccount } from "../../../server/staff/staff.entity.js";
import { createStaff } from "../../../server/staff/staff.service.js";
import { Store } from "../../../server/stores/stores.entity.js";
import { ADMIN_PASSWORD, STAFF_PASSWORD, startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("staff accounts on %s", (kind) => {
  let s: TestApp;
  let admin: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    const res = await s.http.post("/api/v1/staff/login").send({ username: "admin", password: ADMIN_PASSWORD }).expect(200);
    admin = `Bearer ${res.body.token}`;
    expect(res.body.staff).toMatchObject({ username: "admin", role: "admin", storeId: null });
  });
  afterAll(() => s.close());

  const newAccount = async (username: string) => createStaff(s.t.db, 4, null, { username, password: STAFF_PASSWORD, name: "锁定测试", role: "advisor", storeId: 1 });
  const login = (username: string, password: string) => s.http.post("/api/v1/staff/login").send({ username, password });

  it("rejects a wrong password and an unknown user alike", async () => {
    await newAccount("wrongpw");
    const wrong = await login("wrongpw", "nope-1234");
    const unknown = await login("nobody", "nope-1234");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.error.message).toBe(unknown.body.error.message);
    expect(wrong.body.error.details).toEqual({ attemptsLeft: 4 });
  });

  it("locks the account for 15 minutes after 5 failures, even for the right password", async () => {
    await newAccount("lockme");
    for (let i = 0; i < 4; i++) expect((await login("lockme", "bad-pass-1")).status).toBe(401);
    const fifth = await login("lockme", "bad-pass-1");
    expect(fifth.status).toBe(423);
    expect(fifth.body.error.code).toBe("ACCOUNT_LOCKED");
    const until = new Date(fifth.body.error.details.lockedUntil).getTime();
    expect(until - Date.now()).toBeGreaterThan(14 * 60_000);
    expect(until - Date.now()).toBeLessThanOrEqual(15 * 60_000);
    expect((await login("lockme", STAFF_PASSWORD)).status).toBe(423);
    // the lock runs out: move it into the past as 15 minutes would
    await s.t.dataSource.manager.update(StaffAccount, { username: "lockme" }, { lockedUntil: new Date(Date.now() - 1000) });
    expect((await login("lockme", STAFF_PASSWORD)).status).toBe(200);
  });

  it("locks exactly once when 40 wrong passwords arrive in parallel", async () => {
    await newAccount("parallel");
    const results = await Promise.all(Array.from({ length: 40 }, () => login("parallel", "bad-pass-2")));
    expect(results.every((r) => r.status === 401 || r.status === 423)).toBe(true);
    expect(results.some((r) => r.status === 423)).toBe(true);
    const row = await s.t.dataSource.manager.findOneByOrFail(StaffAccount, { username: "parallel" });
    expect(row.lockedUntil!.getTime()).toBeGreaterThan(Date.now());
    expect(row.failedLogins).toBe(0);
    expect((await login("parallel", STAFF_PASSWORD)).status).toBe(423);
  });

  it("lets only admins create staff, with the store a role needs", async () => {
    const manager = await s.loginStaff("manager", 1);
    const body = { username: "newadvisor", password: "abc12345", name: "小王", role: "advisor", storeId: 2 };
    expect((await s.http.post("/api/v1/staff/accounts").set("Authorization", manager.auth).send(body)).status).toBe(403);
    const created = await s.http.post("/api/v1/staff/accounts").set("Authorization", admin).send(body).expect(201);
    expect(created.body).toMatchObject({ username: "newadvisor", role: "advisor", storeId: 2, disabled: false });
    expect(created.body.passwordHash).toBeUndefined();
    expect((await s.http.post("/api/v1/staff/accounts").set("Authorization", admin).send(body)).body.error.code).toBe("USERNAME_TAKEN");
    const noStore = await s.http.post("/api/v1/staff/accounts").set("Authorization", admin).send({ ...body, username: "nostore", storeId: null });
    expect(noStore.body.error.code).toBe("STAFF_STORE_INVALID");
    const weak = await s.http.post("/api/v1/staff/accounts").set("Authorization", admin).send({ ...body, username: "weakpw", password: "12345678" });
    expect(weak.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: [{ field: "password", rule: "pattern" }] });
    const badStore = await s.http.post("/api/v1/staff/accounts").set("Authorization", admin).send({ ...body, username: "badstore", storeId: 999 });
    expect(badStore.body.error.code).toBe("STORE_NOT_FOUND");
    expect(await s.t.dataSource.manager.countBy(StaffAccount, { username: "nostore" })).toBe(0);
    const audit = await s.t.dataSource.manager.findOneByOrFail(AuditLog, { action: "staff.created", targetId: created.body.id });
    expect(audit.actorType).toBe("staff");
  });

  it("disabling an account ends its sessions at once and blocks new ones", async () => {
    const advisor = await s.loginStaff("advisor", 1);
    await s.http.get("/api/v1/staff/me").set("Authorization", advisor.auth).expect(200);
    await s.http.post(`/api/v1/staff/accounts/${advisor.id}/disable`).set("Authorization", admin).expect(200);
    expect((await s.http.get("/api/v1/staff/me").set("Authorization", advisor.auth)).status).toBe(401);
    const relogin = await login(advisor.username, STAFF_PASSWORD);
    expect(relogin.status).toBe(403);
    expect(relogin.body.error.code).toBe("ACCOUNT_DISABLED");
    await s.http.post(`/api/v1/staff/accounts/${advisor.id}/enable`).set("Authorization", admin).expect(200);
    expect((await login(advisor.username, STAFF_PASSWORD)).status).toBe(200);
  });

  it("changes a password (ending old sessions) and lets an admin reset a locked account", async () => {
    const advisor = await s.loginStaff("advisor", 1);
    const wrong = await s.http.post("/api/v1/staff/me/password").set("Authorization", advisor.auth).send({ currentPassword: "nope", newPassword: "newpass123" });
    expect(wrong.status).toBe(401);
    await s.http.post("/api/v1/staff/me/password").set("Authorization", advisor.auth).send({ currentPassword: STAFF_PASSWORD, newPassword: "newpass123" }).expect(200);
    expect((await s.http.get("/api/v1/staff/me").set("Authorization", advisor.auth)).status).toBe(401);
    expect((await login(advisor.username, STAFF_PASSWORD)).status).toBe(401);
    for (let i = 0; i < 4; i++) await login(advisor.username, "bad-pass-3");
    expect((await login(advisor.username, "newpass123")).status).toBe(423);
    expect((await s.http.post(`/api/v1/staff/accounts/${advisor.id}/password`).set("Authorization", advisor.auth).send({ newPassword: "reset12345" })).status).toBe(401);
    await s.http.post(`/api/v1/staff/accounts/${advisor.id}/password`).set("Authorization", admin).send({ newPassword: "reset12345" }).expect(200);
    expect((await login(advisor.username, "reset12345")).status).toBe(200);
    expect(await s.t.dataSource.manager.countBy(AuditLog, { targetType: "staff", targetId: advisor.id, action: "staff.password.reset" })).toBe(1);
  });

  it("an admin cannot disable their own account", async () => {
    const me = (await s.http.get("/api/v1/staff/me").set("Authorization", admin)).body;
    expect((await s.http.post(`/api/v1/staff/accounts/${me.id}/disable`).set("Authorization", admin)).status).toBe(403);
  });

  it("an advisor of store A cannot act on store B; a manager acts on their own store only", async () => {
    const advisorA = await s.loginStaff("advisor", 1);
    const managerA = await s.loginStaff("manager", 1);
    const regional = await s.loginStaff("manager", null);
    const change = { phone: "021-66660000" };
    const advisorTry = await s.http.patch("/api/v1/staff/stores/1").set("Authorization", advisorA.auth).send(change);
    expect(advisorTry.status).toBe(403);
    expect(advisorTry.body.error.code).toBe("FORBIDDEN");
    const crossStore = await s.http.patch("/api/v1/staff/stores/2").set("Authorization", managerA.auth).send(change);
    expect(crossStore.status).toBe(403);
    expect(crossStore.body.error.code).toBe("STORE_SCOPE_FORBIDDEN");
    expect((await s.t.dataSource.manager.findOneByOrFail(Store, { id: 2 })).phone).not.toBe(change.phone);
    await s.http.patch("/api/v1/staff/stores/1").set("Authorization", managerA.auth).send(change).expect(200);
    await s.http.patch("/api/v1/staff/stores/2").set("Authorization", regional.auth).send(change).expect(200);
  });
});
