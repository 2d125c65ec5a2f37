import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { fileAsMember } from "../../helpers/complaints.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("a member's own data on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind);
  });
  afterAll(() => s.close());

  it("shows the member who read their archive, when, at which store and why, by work number and never by name", async () => {
    const { auth, member } = await s.loginMember("demo-member-1");
    const advisor = await s.loginStaff("advisor", 1);
    await s.http.get(`/api/v1/staff/members/${member.id}/archive`).query({ reason: "客户来电咨询保养记录" }).set("Authorization", advisor.auth).expect(200);
    const log = await s.http.get("/api/v1/me/access-log").set("Authorization", auth).expect(200);
    expect(log.body.items).toEqual([{ id: expect.any(Number), at: expect.any(String), storeName: "星途汽车4S店（浦东店）", staff: `工作人员 ${String(advisor.id).padStart(4, "0")}`, reason: "客户来电咨询保养记录" }]);
    expect(JSON.stringify(log.body)).not.toContain("测试advisor");
    const other = await s.loginMember("privacy-other");
    expect((await s.http.get("/api/v1/me/access-log").set("Authorization", other.auth).expect(200)).body.total).toBe(0);
  });

  it("exports the member's own profile, cars, points, coupons, bookings, complaints and messages, nobody else's", async () => {
    const { auth } = await s.loginMember("demo-member-1");
    await fileAsMember(s, auth, { content: "导出测试：前台态度不好" });
    const other = await s.loginMember("demo-member-2");
    await fileAsMember(s, other.auth, { content: "别人的投诉内容" });
    const res = await s.http.get("/api/v1/me/export").set("Authorization", auth).expect(200);
    expect(res.body.profile).toMatchObject({ nickname: "张先生", phone: "13800138001" });
    expect(res.body.cars).toEqual([{ plate: "沪A12345", model: "星途 揽月 2.0T", mileage: 28600, removedAt: null }]);
    expect(res.body.complaints.map((c: { content: string }) => c.content)).toEqual(["导出测试：前台态度不好"]);
    expect(res.body.accessLog).toHaveLength(1);
    expect(Object.keys(res.body)).toEqual(["exportedAt", "profile", "cars", "pointsLedger", "coupons", "bookings", "serviceRecords", "complaints", "messages", "accessLog"]);
    expect(JSON.stringify(res.body)).not.toContain("别人的投诉内容");
    expect((await s.http.get("/api/v1/me/export")).status).toBe(401);
  });
});
