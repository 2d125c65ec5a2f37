import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { complaintBody } from "../../helpers/complaints.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

type Row = { id: number; number: string };

describe.each(DATABASE_KINDS)("the complaints in a member's archive on %s", (kind) => {
  let s: TestApp;
  let member: { id: number; memberCode: string };
  let manager: { auth: string; id: number };
  let advisor: { auth: string; id: number };
  const filed: Record<string, Row> = {};

  const archiveOf = async (auth: string) =>
    (await s.http.get(`/api/v1/staff/members/${member.id}/archive`).query({ reason: "投诉处理" }).set("Authorization", auth).expect(200)).body.complaints as {
      total: number;
      items: Record<string, unknown>[];
    };

  beforeAll(async () => {
    s = await startTestApp(kind);
    s.clock.set("2026-11-24T02:00:00Z");
    const login = await s.loginMember("archive-complaints", 1);
    member = login.member;
    manager = await s.loginStaff("manager", 1);
    advisor = await s.loginStaff("advisor", 1);
    const asMember = async (over: Record<string, unknown>) => (await s.http.post("/api/v1/complaints").set("Authorization", login.auth).send(complaintBody(over)).expect(201)).body as Row;
    filed.oldest = await asMember({ category: "price", demand: "refund" });
    s.clock.set("2026-11-24T03:00:00Z");
    filed.aboutManager = await asMember({ category: "service_attitude", staffId: manager.id });
    s.clock.set("2026-11-24T04:00:00Z");
    filed.otherStore = await asMember({ category: "booking", storeId: 2 });
    s.clock.set("2026-11-24T05:00:00Z");
    filed.byAdvisor = (await s.http.post("/api/v1/staff/complaints").set("Authorization", advisor.auth)
      .send({ channel: "phone", category: "waiting_time", content: "电话里说等了三个小时", demand: "explanation", memberCode: member.memberCode, majorReason: "客户情绪激动" }).expect(201)).body;
    s.clock.set("2026-11-24T06:00:00Z");
  });
  afterAll(() => s.close());

  it("lists what the staff complaint list shows the viewer, newest first, with category, status, severity, SLA state and time", async () => {
    const seen = await archiveOf(manager.auth);
    const list = (await s.http.get("/api/v1/staff/complaints?pageSize=100").set("Authorization", manager.auth).expect(200)).body.items as Row[];
    const mine = list.filter((c) => Object.values(filed).some((f) => f.id === c.id)).map((c) => c.id);
    expect(seen.items.map((c) => c.id).sort()).toEqual(mine.sort());
    expect(seen.items.map((c) => c.number)).toEqual([filed.byAdvisor.number, filed.oldest.number]);
    expect(seen.total).toBe(2);
    expect(seen.items[0]).toEqual({
      id: filed.byAdvisor.id, number: filed.byAdvisor.number, category: "waiting_time", categoryName: "等待时间", status: "assigned", statusName: "处理中",
      severity: "major", severityName: "重大", slaState: "on_track", slaStateName: "正常", createdAt: "2026-11-24T05:00:00.000Z",
    });
    expect(seen.items[1]).toMatchObject({ categoryName: "收费价格", status: "received", severity: "normal", createdAt: "2026-11-24T02:00:00.000Z" });
  });

  it("never shows a staff member the complaint about themself, nor another store's, while a colleague and the group see them", async () => {
    expect((await archiveOf(manager.auth)).items.map((c) => c.id)).not.toContain(filed.aboutManager.id);
    const colleague = await s.loginStaff("manager", 1);
    const byColleague = await archiveOf(colleague.auth);
    expect(byColleague.items.map((c) => c.number)).toEqual([filed.byAdvisor.number, filed.aboutManager.number, filed.oldest.number]);
    const admin = await s.loginStaff("admin", null);
    const all = await archiveOf(admin.auth);
    expect(all.total).toBe(4);
    expect(all.items.map((c) => c.number)).toEqual([filed.byAdvisor.number, filed.otherStore.number, filed.aboutManager.number, filed.oldest.number]);
  });

  it("shows an advisor only the complaints they took in or own, as their complaint list does", async () => {
    expect((await archiveOf(advisor.auth)).items.map((c) => c.id)).toEqual([filed.byAdvisor.id]);
    const other = await s.loginStaff("advisor", 1);
    expect(await archiveOf(other.auth)).toEqual({ total: 0, items: [] });
  });

  it("counts them all while listing the newest ten", async () => {
    const admin = await s.loginStaff("admin", null);
    const login = await s.loginMember("archive-complaints", 1);
    for (let i = 0; i < 9; i++) await s.http.post("/api/v1/complaints").set("Authorization", login.auth).send(complaintBody({ category: "other", content: `第 ${i + 1} 次反映` })).expect(201);
    const all = await archiveOf(admin.auth);
    expect(all.total).toBe(13);
    expect(all.items).toHaveLength(10);
    expect(all.items.map((c) => c.number)).not.toContain(filed.oldest.number);
  });
});
