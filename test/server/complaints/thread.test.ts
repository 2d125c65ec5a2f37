import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { agentOnDuty, fileAsMember, outboxOf, staffView } from "../../helpers/complaints.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

const HOUR = 3_600_000;

describe.each(DATABASE_KINDS)("complaint thread on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind);
    s.clock.set("2026-11-24T02:00:00Z");
  });
  afterAll(() => s.close());

  it("signs staff replies 客服 <number> for the member, hides internal notes and names, and records every state change", async () => {
    const agent = await agentOnDuty(s, 1);
    const { auth } = await s.loginMember("thread-1", 1);
    const filed = await fileAsMember(s, auth);
    await s.http.post(`/api/v1/staff/complaints/${filed.id}/notes`).set("Authorization", agent.auth).send({ body: "内部：先查监控" }).expect(201);
    s.clock.advance(2 * HOUR);
    await s.http.post(`/api/v1/staff/complaints/${filed.id}/replies`).set("Authorization", agent.auth).send({ body: "您好，非常抱歉给您带来不好的体验。" }).expect(201);
    const mine = await s.http.get(`/api/v1/complaints/${filed.id}`).set("Authorization", auth).expect(200);
    const signature = `客服 ${String(agent.id).padStart(4, "0")}`;
    expect(mine.body.messages).toEqual([expect.objectContaining({ from: "staff", author: signature, body: "您好，非常抱歉给您带来不好的体验。" })]);
    expect(mine.body).toMatchObject({ status: "responded", statusText: "客服已答复，正在处理" });
    expect(JSON.stringify(mine.body)).not.toContain("测试agent");
    expect(JSON.stringify(mine.body)).not.toContain("先查监控");
    const view = await staffView(s, agent.auth, filed.id);
    expect(view.messages.map((m: { internal: boolean }) => m.internal)).toEqual([true, false]);
    expect(view.sla.firstResponse).toMatchObject({ doneAt: "2026-11-24T04:00:00.000Z", state: "met" });
    expect(view.events.map((e: { type: string; toStatus: string | null }) => [e.type, e.toStatus])).toEqual([["received", "received"], ["assigned", "assigned"], ["responded", "responded"]]);
    const replies = (await outboxOf(s, "complaint_reply")).filter((o) => JSON.parse(o.payload).complaintId === filed.id);
    expect(replies).toHaveLength(1);
  });

  it("pauses the SLA while waiting for the customer and moves the resolution due by the wait when they answer", async () => {
    const agent = await agentOnDuty(s, 1);
    const { auth } = await s.loginMember("thread-2", 1);
    const filed = await fileAsMember(s, auth);
    const due = (await staffView(s, agent.auth, filed.id)).sla.resolution.dueAt;
    await s.http.post(`/api/v1/staff/complaints/${filed.id}/replies`).set("Authorization", agent.auth).send({ body: "请提供结算单照片", waitForCustomer: true }).expect(201);
    let view = await staffView(s, agent.auth, filed.id);
    expect(view).toMatchObject({ status: "waiting", sla: { state: "paused" } });
    expect((await s.http.get(`/api/v1/complaints/${filed.id}`).set("Authorization", auth)).body.statusText).toBe("等待您补充信息");
    s.clock.advance(30 * HOUR);
    await s.http.post(`/api/v1/complaints/${filed.id}/replies`).set("Authorization", auth).send({ body: "结算单已经找到了" }).expect(201);
    view = await staffView(s, agent.auth, filed.id);
    expect(view.status).toBe("responded");
    expect(new Date(view.sla.resolution.dueAt).getTime() - new Date(due).getTime()).toBe(30 * HOUR);
    expect(view.sla.pausedSince).toBeNull();
    expect(view.events.map((e: { type: string }) => e.type)).toEqual(["received", "assigned", "responded", "resumed"]);
    const told = (await outboxOf(s, "complaint_member_reply")).filter((o) => o.staffId === agent.id);
    expect(told).toHaveLength(1);
  });

  it("lets only the owner or a manager reply; an unowned complaint must be taken first", async () => {
    const { auth } = await s.loginMember("thread-3", 2);
    const filed = await fileAsMember(s, auth, { storeId: 2 });
    const agent = await s.loginStaff("agent", 2);
    const unowned = await s.http.post(`/api/v1/staff/complaints/${filed.id}/replies`).set("Authorization", agent.auth).send({ body: "您好" });
    expect(unowned.body.error.code).toBe("COMPLAINT_NOT_OWNER");
    const manager = await s.loginStaff("manager", 2);
    const notTaken = await s.http.post(`/api/v1/staff/complaints/${filed.id}/replies`).set("Authorization", manager.auth).send({ body: "您好" });
    expect(notTaken.body.error).toMatchObject({ code: "COMPLAINT_STATUS_CONFLICT", message: "请先认领该投诉再答复" });
  });

  it("keeps members to their own complaints", async () => {
    const owner = await s.loginMember("thread-4", 1);
    const filed = await fileAsMember(s, owner.auth);
    const other = await s.loginMember("thread-5", 1);
    for (const res of [
      await s.http.get(`/api/v1/complaints/${filed.id}`).set("Authorization", other.auth),
      await s.http.post(`/api/v1/complaints/${filed.id}/replies`).set("Authorization", other.auth).send({ body: "我也来说两句" }),
    ]) expect(res.body.error.code).toBe("COMPLAINT_NOT_FOUND");
    const list = await s.http.get("/api/v1/me/complaints").set("Authorization", other.auth).expect(200);
    expect(list.body.total).toBe(0);
    const staffOnly = await s.http.get("/api/v1/staff/complaints").set("Authorization", owner.auth);
    expect(staffOnly.status).toBe(403);
  });
});

describe.each(DATABASE_KINDS)("major complaints on %s", (kind) => {
  let s: TestApp;
  let manager: { auth: string; id: number };
  beforeAll(async () => {
    s = await startTestApp(kind);
    s.clock.set("2026-11-24T02:00:00Z");
    manager = await s.loginStaff("manager", 1);
  });
  afterAll(() => s.close());

  const reasonsOf = async (id: number) => (await staffView(s, manager.auth, id)).majorReasons;

  it("finds the listed words in Simplified and Traditional text and alerts the store's managers at once", async () => {
    const simplified = await fileAsMember(s, (await s.loginMember("major-1", 1)).auth, { content: "再不解决我就找媒体曝光" });
    expect(await reasonsOf(simplified.id)).toEqual(["敏感词：媒体", "敏感词：曝光"]);
    const traditional = await fileAsMember(s, (await s.loginMember("major-2", 1)).auth, { content: "再不處理我就找記者，還要投訴到廠家" });
    const view = await staffView(s, manager.auth, traditional.id);
    expect(view).toMatchObject({ severity: "major", severityName: "重大" });
    expect(view.majorReasons).toEqual(["敏感词：记者", "敏感词：投诉到厂家"]);
    // majors answer within 4 h and report up within 24 h
    expect(view.sla.firstResponse.dueAt).toBe("2026-11-24T06:00:00.000Z");
    expect(view.sla.escalation).toMatchObject({ dueAt: "2026-11-25T02:00:00.000Z", state: "on_track" });
    const alerts = (await outboxOf(s, "complaint_major")).filter((o) => JSON.parse(o.payload).complaintId === traditional.id);
    expect(alerts.map((a) => a.staffId)).toEqual([manager.id]);
    const plain = await fileAsMember(s, (await s.loginMember("major-3", 1)).auth, { content: "洗车没洗干净" });
    expect((await staffView(s, manager.auth, plain.id)).severity).toBe("normal");
  });

  it("makes a second complaint within 30 days, a return or exchange demand and a staff flag major", async () => {
    const { auth } = await s.loginMember("major-4", 1);
    const first = await fileAsMember(s, auth);
    expect(await reasonsOf(first.id)).toEqual([]);
    s.clock.advance(29 * 86_400_000);
    expect(await reasonsOf((await fileAsMember(s, auth)).id)).toEqual(["30 天内重复投诉"]);
    const exchange = await fileAsMember(s, (await s.loginMember("major-5", 1)).auth, { demand: "return_exchange", content: "新车三次维修不好" });
    expect(await reasonsOf(exchange.id)).toEqual(["要求退车或换车"]);
    const flagged = await fileAsMember(s, (await s.loginMember("major-6", 1)).auth);
    await s.http.post(`/api/v1/staff/complaints/${flagged.id}/major`).set("Authorization", manager.auth).send({ reason: "客户在展厅大声吵闹" }).expect(204);
    expect(await reasonsOf(flagged.id)).toEqual(["人工标记：客户在展厅大声吵闹"]);
  });

  it("takes one escalation report from a manager, and none for a normal complaint", async () => {
    const major = await fileAsMember(s, (await s.loginMember("major-7", 1)).auth, { content: "我要打12315" });
    const report = { summary: "客户因返修不满威胁投诉", risk: "可能向12315投诉", plan: "店长当天致电并安排免费检测" };
    const agent = await s.loginStaff("agent", 1);
    expect((await s.http.post(`/api/v1/staff/complaints/${major.id}/escalation`).set("Authorization", agent.auth).send(report)).status).toBe(403);
    await s.http.post(`/api/v1/staff/complaints/${major.id}/escalation`).set("Authorization", manager.auth).send(report).expect(204);
    const again = await s.http.post(`/api/v1/staff/complaints/${major.id}/escalation`).set("Authorization", manager.auth).send(report);
    expect(again.body.error.code).toBe("COMPLAINT_REPORT_EXISTS");
    const view = await staffView(s, manager.auth, major.id);
    expect(view.reports.escalation).toMatchObject({ ...report, by: { id: manager.id } });
    expect(view.sla.escalation.state).toBe("met");
    const normal = await fileAsMember(s, (await s.loginMember("major-8", 1)).auth, { content: "等待时间太长" });
    expect((await s.http.post(`/api/v1/staff/complaints/${normal.id}/escalation`).set("Authorization", manager.auth).send(report)).body.error.code).toBe("COMPLAINT_NOT_MAJOR");
  });
});
