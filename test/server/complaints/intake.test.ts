import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Complaint } from "../../../server/complaints/complaints.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { agentOnDuty, complaintBody, fileAsMember, outboxOf, staffView } from "../../helpers/complaints.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("complaint intake on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind);
    s.clock.set("2026-11-24T02:00:00Z"); // 10:00 in Shanghai
  });
  afterAll(() => s.close());

  it("fills the member's name, phone, model and plate from the archive and numbers the card by the day", async () => {
    const { auth, member } = await s.loginMember("demo-member-1");
    const filed = await fileAsMember(s, auth);
    expect(filed.number).toMatch(/^TS20261124-\d{4}$/);
    expect(filed).toMatchObject({ status: "received", statusText: "已受理，24 小时内答复", plate: "沪A12345" });
    const manager = await s.loginStaff("manager", 1);
    const view = await staffView(s, manager.auth, filed.id);
    expect(view.complainant).toEqual({ memberId: member.id, name: "张先生", phone: "13800138001", carModel: "星途 揽月 2.0T", plate: "沪A12345" });
    expect(view).toMatchObject({ channel: "miniprogram", channelName: "小程序", categoryName: "服务态度", demandName: "赔礼道歉", storeId: 1, owner: null });
    expect(view.sla.firstResponse.dueAt).toBe("2026-11-25T02:00:00.000Z");
    expect(view.sla.resolution.dueAt).toBe("2026-12-01T02:00:00.000Z");
    const received = (await outboxOf(s, "complaint_received")).filter((o) => o.memberId === member.id);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0].payload)).toMatchObject({ number: filed.number, hours: 24 });
  });

  it("refuses another member's car or booking and unknown staff, changing nothing", async () => {
    const { auth } = await s.loginMember("intake-other");
    const before = await s.t.dataSource.query("SELECT COUNT(*) AS n FROM complaint");
    const car = await s.http.post("/api/v1/complaints").set("Authorization", auth).send(complaintBody({ assetId: 1 }));
    expect(car.status).toBe(404);
    expect(car.body.error.message).toBe("车辆不存在");
    const staff = await s.http.post("/api/v1/complaints").set("Authorization", auth).send(complaintBody({ staffId: 999999 }));
    expect(staff.body.error.code).toBe("COMPLAINT_STAFF_UNKNOWN");
    const bad = await s.http.post("/api/v1/complaints").set("Authorization", auth).send(complaintBody({ category: "nope", content: "   " }));
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("VALIDATION_FAILED");
    expect(await s.t.dataSource.query("SELECT COUNT(*) AS n FROM complaint")).toEqual(before);
  });

  it("lets an advisor record a caller who is not a member: the receiver owns it and sees the phone masked", async () => {
    const advisor = await s.loginStaff("advisor", 1);
    const res = await s.http.post("/api/v1/staff/complaints").set("Authorization", advisor.auth)
      .send({ channel: "phone", category: "price", content: "保养报价和结算金额不一致", demand: "refund", callerName: "赵女士", callerPhone: "13512345678", plate: "沪b99999" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ channel: "phone", status: "assigned", owner: { id: advisor.id }, receivedBy: { id: advisor.id } });
    expect(res.body.complainant).toEqual({ memberId: null, name: "赵女士", phone: "135****5678", carModel: null, plate: "沪B99999" });
    const manager = await s.loginStaff("manager", 1);
    expect((await staffView(s, manager.auth, res.body.id)).complainant.phone).toBe("13512345678");
    expect(res.body.events.map((e: { type: string }) => e.type)).toEqual(["received", "assigned"]);
    expect(res.body.events[1].detail).toMatchObject({ rule: "first_receiver", toOwner: advisor.id });
    // nobody is told of their own doing
    expect((await outboxOf(s, "complaint_assigned")).filter((o) => o.staffId === advisor.id)).toHaveLength(0);
  });

  it("records a walk-in complaint for a member found by phone, and one by member code", async () => {
    const advisor = await s.loginStaff("advisor", 2);
    const byPhone = await s.http.post("/api/v1/staff/complaints").set("Authorization", advisor.auth)
      .send({ channel: "walk_in", category: "repair_quality", content: "刚做完保养就亮故障灯", demand: "repair", memberPhone: "13900139002" });
    expect(byPhone.status).toBe(201);
    expect(byPhone.body.complainant).toMatchObject({ name: "李女士", plate: "沪AD23456", phone: "139****9002" });
    expect(byPhone.body).toMatchObject({ storeId: 2, team: "technical" });
    const { member } = await s.loginMember("demo-member-3");
    const byCode = await s.http.post("/api/v1/staff/complaints").set("Authorization", advisor.auth)
      .send({ channel: "walk_in", category: "waiting_time", content: "洗车等了两个小时", demand: "explanation", memberCode: member.memberCode });
    expect(byCode.body.complainant).toMatchObject({ memberId: member.id, name: "王先生", phone: null, plate: null });
    const unknown = await s.http.post("/api/v1/staff/complaints").set("Authorization", advisor.auth)
      .send({ channel: "walk_in", category: "other", content: "x", demand: "other", memberPhone: "13000000000" });
    expect(unknown.status).toBe(404);
  });

  it("forwards a group hotline complaint to the store's queue, or to its on-duty agent", async () => {
    const hotline = await s.loginStaff("agent", null);
    const queued = await s.http.post("/api/v1/staff/complaints").set("Authorization", hotline.auth)
      .send({ channel: "hotline", storeId: 2, category: "booking", content: "预约了却说没有工位", demand: "explanation", callerName: "钱先生", callerPhone: "13611112222" });
    expect(queued.status).toBe(201);
    expect(queued.body).toMatchObject({ storeId: 2, status: "received", owner: null, receivedBy: { id: hotline.id } });
    const agent = await agentOnDuty(s, 2);
    const routed = await s.http.post("/api/v1/staff/complaints").set("Authorization", hotline.auth)
      .send({ channel: "hotline", storeId: 2, category: "booking", content: "改约总是失败", demand: "explanation", callerName: "孙先生", callerPhone: "13611113333" });
    expect(routed.body).toMatchObject({ status: "assigned", owner: { id: agent.id } });
    const noStore = await s.http.post("/api/v1/staff/complaints").set("Authorization", hotline.auth).send({ channel: "hotline", category: "booking", content: "x", demand: "other", callerName: "a", callerPhone: "13611114444" });
    expect(noStore.body.error.code).toBe("STORE_REQUIRED");
  });

  it("lets the receiver mark a staff intake major with a reason: major deadlines at once, the store's managers alerted, the flag theirs", async () => {
    const manager = await s.loginStaff("manager", 1);
    const advisor = await s.loginStaff("advisor", 1);
    const plain = await s.http.post("/api/v1/staff/complaints").set("Authorization", advisor.auth)
      .send({ channel: "phone", category: "other", content: "询问保养进度时被挂电话", demand: "explanation", callerName: "孙先生", callerPhone: "13622223333" }).expect(201);
    const res = await s.http.post("/api/v1/staff/complaints").set("Authorization", advisor.auth)
      .send({ channel: "phone", category: "other", content: "询问保养进度时被挂电话", demand: "explanation", callerName: "孙先生", callerPhone: "13622224444", majorReason: "客户扬言投诉媒体" });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ severity: "major", severityName: "重大", majorReasons: ["人工标记：客户扬言投诉媒体"] });
    expect(res.body.sla.escalation).not.toBeNull();
    expect(Date.parse(res.body.sla.firstResponse.dueAt)).toBeLessThan(Date.parse(plain.body.sla.firstResponse.dueAt));
    const flag = res.body.events.find((e: { type: string }) => e.type === "marked_major");
    expect(flag).toMatchObject({ actorType: "staff", actor: { id: advisor.id }, detail: { reasons: ["flag:客户扬言投诉媒体"] } });
    const alerts = (await outboxOf(s, "complaint_major")).filter((o) => o.staffId === manager.id && JSON.parse(o.payload).number === res.body.number);
    expect(alerts).toHaveLength(1);
    const blank = await s.http.post("/api/v1/staff/complaints").set("Authorization", advisor.auth)
      .send({ channel: "phone", category: "other", content: "x", demand: "other", callerName: "孙先生", callerPhone: "13622225555", majorReason: "  " });
    expect(blank.body.error.code).toBe("VALIDATION_FAILED");
  });

  it("files once for a double tap or a retry with the same Idempotency-Key", async () => {
    const { auth, member } = await s.loginMember("intake-idem");
    const send = (key: string) => s.http.post("/api/v1/complaints").set("Authorization", auth).set("Idempotency-Key", key).send(complaintBody({ category: "other" }));
    const [a, b] = await Promise.all([send("cmp-tap-00000001"), send("cmp-tap-00000001")]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.body.id).toBe(a.body.id);
    expect((await send("cmp-tap-00000001")).body.number).toBe(a.body.number);
    expect(await s.t.dataSource.manager.countBy(Complaint, { memberId: member.id })).toBe(1);
    const reused = await s.http.post("/api/v1/complaints").set("Authorization", auth).set("Idempotency-Key", "cmp-tap-00000001").send(complaintBody({ category: "price" }));
    expect(reused.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("numbers complaints of one day in sequence and starts again the next day", async () => {
    const { auth } = await s.loginMember("intake-numbers");
    const a = await fileAsMember(s, auth, { category: "other" });
    const b = await fileAsMember(s, auth, { category: "other" });
    expect(Number(b.number.slice(-4))).toBe(Number(a.number.slice(-4)) + 1);
    s.clock.set("2026-11-24T16:30:00Z"); // 00:30 on the 25th in Shanghai
    expect((await fileAsMember(s, auth, { category: "other" })).number).toBe("TS20261125-0001");
    s.clock.set("2026-11-24T02:00:00Z");
  });
});
