import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_PASSWORD, startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("the audit log on %s", (kind) => {
  let s: TestApp;
  let admin: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    admin = `Bearer ${(await s.http.post("/api/v1/staff/login").send({ username: "admin", password: ADMIN_PASSWORD }).expect(200)).body.token}`;
  });
  afterAll(() => s.close());

  it("lists who changed what for admins, newest first, filtered by action and actor; others are refused", async () => {
    const created = await s.http.post("/api/v1/staff/accounts").set("Authorization", admin).send({ username: "auditee", password: "abc12345", name: "小审", role: "advisor", storeId: 1 }).expect(201);
    await s.http.post(`/api/v1/staff/accounts/${created.body.id}/disable`).set("Authorization", admin).expect(200);
    const all = await s.http.get("/api/v1/staff/audit-logs").set("Authorization", admin).expect(200);
    expect(all.body.items.slice(0, 2).map((e: { action: string }) => e.action)).toEqual(["staff.disabled", "staff.created"]);
    const byAction = await s.http.get("/api/v1/staff/audit-logs").query({ action: "staff.created" }).set("Authorization", admin).expect(200);
    expect(byAction.body.items.find((e: { targetId: number }) => e.targetId === created.body.id)).toMatchObject({ actorType: "staff", actorName: "系统管理员", targetType: "staff", at: expect.any(String) });
    expect(byAction.body.items.every((e: { action: string }) => e.action === "staff.created")).toBe(true);
    const manager = await s.loginStaff("manager", 1);
    expect((await s.http.get("/api/v1/staff/audit-logs").set("Authorization", manager.auth)).status).toBe(403);
    expect((await s.http.get("/api/v1/staff/audit-logs").query({ actorId: "Infinity" }).set("Authorization", admin)).status).toBe(400);
  });
});
