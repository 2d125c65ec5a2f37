import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLog } from "../../../server/audit/audit.entity.js";
import { Member } from "../../../server/members/members.entity.js";
import { MemberAccessLog } from "../../../server/privacy/access-log.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("member archive and access log on %s", (kind) => {
  let s: TestApp;
  let memberA: { id: number; memberCode: string };
  let memberB: { id: number };
  beforeAll(async () => {
    s = await startTestApp(kind);
    const a = await s.loginMember("archive-a", 1);
    memberA = a.member;
    await s.t.dataSource.manager.update(Member, { id: memberA.id }, { phone: "13812341234" });
    await s.http.post("/api/v1/me/assets").set("Authorization", a.auth).send({ plate: "沪A66666", model: "揽月" }).expect(201);
    memberB = (await s.loginMember("archive-b", 2)).member;
  });
  afterAll(() => s.close());

  const logCount = () => s.t.dataSource.manager.count(MemberAccessLog);

  it("shows advisors a masked phone and managers the full number", async () => {
    const advisor = await s.loginStaff("advisor", 1);
    const manager = await s.loginStaff("manager", 1);
    const byAdvisor = await s.http.get("/api/v1/staff/members?phone=13812341234").set("Authorization", advisor.auth).expect(200);
    expect(byAdvisor.body.items).toEqual([expect.objectContaining({ id: memberA.id, phone: "138****1234" })]);
    const byManager = await s.http.get("/api/v1/staff/members?plate=沪A66666").set("Authorization", manager.auth).expect(200);
    expect(byManager.body.items).toEqual([expect.objectContaining({ id: memberA.id, phone: "13812341234" })]);
  });

  it("logs every read of a full archive with who, whom and why", async () => {
    const advisor = await s.loginStaff("advisor", 1);
    const res = await s.http.get(`/api/v1/staff/members/${memberA.id}/archive`).query({ reason: "客户来店保养，核对车辆信息" }).set("Authorization", advisor.auth).expect(200);
    expect(res.body).toMatchObject({ id: memberA.id, phone: "138****1234", assets: [expect.objectContaining({ plate: "沪A66666", archiveNo: expect.stringMatching(/^DA/) })] });
    expect(res.body).toMatchObject({ pointsBalance: 0, tierCode: "normal", serviceRecords: [], recentPoints: [], availableCoupons: [], recentBookings: [] });
    await s.http.post("/api/v1/staff/consumptions").set("Authorization", advisor.auth).send({ memberId: memberA.id, amountFen: 30_000, category: "repair", orderNo: "ARCH-1" }).expect(200);
    const after = await s.http.get(`/api/v1/staff/members/${memberA.id}/archive`).query({ reason: "核对积分" }).set("Authorization", advisor.auth).expect(200);
    expect(after.body).toMatchObject({ pointsBalance: 300, recentPoints: [expect.objectContaining({ delta: 300, reasonText: "维修消费 ¥300.00（单号 ARCH-1）" })] });
    const rows = await s.t.dataSource.manager.find(MemberAccessLog, { where: { staffId: advisor.id }, order: { id: "ASC" } });
    expect(rows).toEqual([expect.objectContaining({ memberId: memberA.id, storeId: 1, reason: "客户来店保养，核对车辆信息" }), expect.objectContaining({ reason: "核对积分" })]);
    expect(Math.abs(rows[0].createdAt.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it("refuses an archive read without a reason and logs nothing", async () => {
    const advisor = await s.loginStaff("advisor", 1);
    const before = await logCount();
    const res = await s.http.get(`/api/v1/staff/members/${memberA.id}/archive`).set("Authorization", advisor.auth);
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ in: "query", field: "reason", rule: "required" });
    expect(await logCount()).toBe(before);
  });

  it("keeps a store's staff out of another store's members", async () => {
    const advisorA = await s.loginStaff("advisor", 1);
    const before = await logCount();
    const res = await s.http.get(`/api/v1/staff/members/${memberB.id}/archive?reason=test`).set("Authorization", advisorA.auth);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("STORE_SCOPE_FORBIDDEN");
    expect(await logCount()).toBe(before);
    const search = await s.http.get("/api/v1/staff/members").set("Authorization", advisorA.auth).expect(200);
    expect(search.body.items.map((m: { id: number }) => m.id)).not.toContain(memberB.id);
    const phone = await s.http.put(`/api/v1/staff/members/${memberB.id}/phone`).set("Authorization", advisorA.auth).send({ phone: "13700000000", identityNote: "核对身份证" });
    expect(phone.body.error.code).toBe("STORE_SCOPE_FORBIDDEN");
    expect((await s.t.dataSource.manager.findOneByOrFail(Member, { id: memberB.id })).phone).toBeNull();
  });

  it("lets staff change a phone only with an identity note, audited", async () => {
    const advisor = await s.loginStaff("advisor", 2);
    const noNote = await s.http.put(`/api/v1/staff/members/${memberB.id}/phone`).set("Authorization", advisor.auth).send({ phone: "13700000000" });
    expect(noNote.status).toBe(400);
    const res = await s.http.put(`/api/v1/staff/members/${memberB.id}/phone`).set("Authorization", advisor.auth).send({ phone: "13700000000", identityNote: "核对身份证及行驶证" }).expect(200);
    expect(res.body.phone).toBe("137****0000");
    const audit = await s.t.dataSource.manager.findOneByOrFail(AuditLog, { targetId: memberB.id, action: "member.phone.changed_by_staff" });
    expect(audit).toMatchObject({ actorType: "staff", actorId: advisor.id });
    expect(JSON.parse(audit.detail)).toEqual({ from: null, to: "137****0000", identityNote: "核对身份证及行驶证" });
    const agent = await s.loginStaff("agent", 2);
    expect((await s.http.put(`/api/v1/staff/members/${memberB.id}/phone`).set("Authorization", agent.auth).send({ phone: "13700000001", identityNote: "核对身份证" })).status).toBe(403);
  });

  it("lets managers list the access log of their own store only; advisors cannot", async () => {
    const advisor1 = await s.loginStaff("advisor", 1);
    const advisor2 = await s.loginStaff("advisor", 2);
    await s.http.get(`/api/v1/staff/members/${memberA.id}/archive?reason=回访`).set("Authorization", advisor1.auth).expect(200);
    await s.http.get(`/api/v1/staff/members/${memberB.id}/archive?reason=投诉处理`).set("Authorization", advisor2.auth).expect(200);
    const manager1 = await s.loginStaff("manager", 1);
    const logs = await s.http.get(`/api/v1/staff/access-logs?staffId=${advisor1.id}`).set("Authorization", manager1.auth).expect(200);
    expect(logs.body.items).toEqual([
      expect.objectContaining({ staffId: advisor1.id, staffUsername: advisor1.username, memberId: memberA.id, memberNickname: "微信用户", reason: "回访", storeId: 1 }),
    ]);
    expect(Date.parse(logs.body.items[0].createdAt)).toBeGreaterThan(Date.now() - 60_000);
    const all1 = await s.http.get("/api/v1/staff/access-logs").set("Authorization", manager1.auth).expect(200);
    expect(all1.body.items.every((r: { storeId: number }) => r.storeId === 1)).toBe(true);
    const admin = await s.loginStaff("admin", null);
    const all = await s.http.get("/api/v1/staff/access-logs?pageSize=100").set("Authorization", admin.auth).expect(200);
    expect(all.body.total).toBe(await logCount());
    expect((await s.http.get("/api/v1/staff/access-logs").set("Authorization", advisor1.auth)).status).toBe(403);
    const bad = await s.http.get("/api/v1/staff/access-logs?from=yesterday").set("Authorization", manager1.auth);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
  });
});
