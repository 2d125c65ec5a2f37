import { OutboxMessage } from "../../../server/notify/notify.entity.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Complaint } from "../../../server/complaints/complaints.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { at, giveCars, nextOpenDate } from "../../helpers/booking.js";
import { agentOnDuty } from "../../helpers/complaints.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { NOTIFY_ENV } from "../../helpers/notify.js";
import { resolve } from "../complaints/resolution.fixtures.js";
import { bot, boundMember, boundStaff, newContact } from "./bot.fixtures.js";

const COMMANDS = ["/member/points", "/member/coupons", "/member/bookings", "/member/complaints", "/member/marketing-opt-out"];

describe.each(DATABASE_KINDS)("bound members' commands through the bot on %s", (kind) => {
  let s: TestApp;
  let agent: { auth: string; id: number };
  beforeAll(async () => {
    s = await startTestApp(kind, NOTIFY_ENV);
    agent = await agentOnDuty(s, 1);
  });
  afterAll(() => s.close());

  it("an unbound contact and a staff contact get 403 BOT_NOT_BOUND on every member command", async () => {
    const staff = await boundStaff(s, await s.loginStaff("agent", 1));
    for (const contactId of [newContact(), staff.contactId]) {
      for (const path of COMMANDS) {
        const res = await bot(s, path, { contactId });
        expect([path, res.status, res.body.error?.code]).toEqual([path, 403, "BOT_NOT_BOUND"]);
      }
      expect((await bot(s, "/member/complaints/file", { contactId, category: "price", content: "收费太贵", demand: "explanation" })).body.error.code).toBe("BOT_NOT_BOUND");
    }
  });

  it("积分: balance, tier name and what expires soon, as the member card says", async () => {
    const { auth, member, contactId } = await boundMember(s);
    const advisor = await s.loginStaff("advisor", 1);
    await s.http.post("/api/v1/staff/consumptions").set("Authorization", advisor.auth).send({ memberId: member.id, amountFen: 50_000, category: "repair", orderNo: `BOT-${kind}-1` }).expect(200);
    const card = (await s.http.get("/api/v1/me").set("Authorization", auth).expect(200)).body;
    const res = await bot(s, "/member/points", { contactId }).expect(200);
    expect(res.body).toEqual({ balance: card.pointsBalance, tierName: card.tier.name, expiring: { points: card.expiringIn30Days.points, firstExpiresAt: card.expiringIn30Days.firstExpiresAt } });
    expect(res.body.balance).toBeGreaterThan(0);
  });

  it("券: the usable coupons with their codes and what they are worth", async () => {
    const { auth, contactId } = await boundMember(s);
    const manager = await s.loginStaff("manager", 1);
    const template = await s.http.post("/api/v1/staff/coupon-templates").set("Authorization", manager.auth)
      .send({ name: "保养代金券", kind: "threshold", valueFen: 5000, thresholdFen: 20000, validDays: 30, totalStock: 10, channel: "claim" }).expect(201);
    const claimed = await s.http.post(`/api/v1/coupons/templates/${template.body.id}/claim`).set("Authorization", auth).expect(201);
    const res = await bot(s, "/member/coupons", { contactId }).expect(200);
    expect(res.body.items).toEqual([{ name: "保养代金券", code: claimed.body.code, validTo: claimed.body.validTo, description: "满200元减50元" }]);
  });

  it("预约: next bookings with store, services and status, and the mini-program path", async () => {
    const { auth, member, contactId } = await boundMember(s);
    expect((await bot(s, "/member/bookings", { contactId }).expect(200)).body).toEqual({ items: [], miniprogramPath: "pages/bookings/index" });
    const [car] = await giveCars(s, [member.id]);
    const start = at(nextOpenDate(3), "10:00");
    const booked = await s.http.post("/api/v1/bookings").set("Authorization", auth).set("Idempotency-Key", `bot-bk-${kind}-0001`).send({ storeId: 1, serviceIds: [1], assetId: car, start });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    const res = await bot(s, "/member/bookings", { contactId }).expect(200);
    expect(res.body.items).toEqual([{ bookingNo: booked.body.bookingNo, storeName: expect.any(String), start, serviceNames: booked.body.services[0].name, statusName: "已预约" }]);
  });

  it("a dialog confirmed twice (a bot restarted before it cleared the dialog) files one complaint", async () => {
    const { member, contactId } = await boundMember(s, "重试");
    const body = { contactId, category: "price", content: "结算比报价多了两百", demand: "refund", requestId: "dlg-retry-0001" };
    const [first, second] = [await bot(s, "/member/complaints/file", body), await bot(s, "/member/complaints/file", body)];
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    expect(await s.t.db.read((m) => m.countBy(Complaint, { memberId: member.id }))).toBe(1);
    const other = await bot(s, "/member/complaints/file", { ...body, requestId: "dlg-retry-0002" });
    expect(other.body.id).not.toBe(first.body.id);
  });

  it("投诉: files through the complaints service with channel bot; 投诉进度 lists it; 评价 answers the survey once", async () => {
    const { member, contactId } = await boundMember(s);
    const filed = await bot(s, "/member/complaints/file", { contactId, category: "service_attitude", content: "前台接待态度冷淡", demand: "apology" });
    expect(filed.status).toBe(201);
    expect(filed.body).toEqual({ id: expect.any(Number), number: expect.stringMatching(/^TS\d{8}-\d{4}$/), statusText: "已受理，24 小时内答复" });
    const row = await s.t.db.read((m) => m.findOneByOrFail(Complaint, { id: filed.body.id }));
    expect(row).toMatchObject({ channel: "bot", memberId: member.id, number: filed.body.number, ownerStaffId: agent.id });
    // the chat already carries the number: no second "已受理" notice through the outbox
    expect(await s.t.db.read((m) => m.countBy(OutboxMessage, { kind: "complaint_received", memberId: member.id }))).toBe(0);
    const list = await bot(s, "/member/complaints", { contactId }).expect(200);
    expect(list.body.items).toEqual([{ id: filed.body.id, number: filed.body.number, statusText: expect.any(String), createdAt: expect.any(String), surveyOpen: false }]);
    expect((await bot(s, "/member/survey", { contactId, complaintId: filed.body.id, rating: 5, solved: true })).body.error.code).toBe("SURVEY_NOT_OPEN");
    await resolve(s, agent.auth, filed.body.id).expect(200);
    expect((await bot(s, "/member/complaints", { contactId })).body.items[0].surveyOpen).toBe(true);
    const survey = await bot(s, "/member/survey", { contactId, complaintId: filed.body.id, rating: 5, solved: true, comment: "满意" });
    expect(survey.status).toBe(200);
    expect(survey.body).toEqual({ status: "closed" });
    expect((await bot(s, "/member/survey", { contactId, complaintId: filed.body.id, rating: 4, solved: true })).body.error.code).toBe("SURVEY_DONE");
    const someone = await boundMember(s, "李四");
    expect((await bot(s, "/member/survey", { contactId: someone.contactId, complaintId: filed.body.id, rating: 1, solved: false })).body.error.code).toBe("COMPLAINT_NOT_FOUND");
    for (const bad of [{ category: "nope", content: "x", demand: "apology" }, { category: "price", content: " ", demand: "apology" }, { category: "price", content: "x".repeat(2001), demand: "apology" }]) {
      expect((await bot(s, "/member/complaints/file", { contactId, ...bad })).body.error.code).toBe("VALIDATION_FAILED");
    }
  });

  it("TD: opts the member out of marketing (service notices unaffected)", async () => {
    const { auth, contactId } = await boundMember(s);
    expect((await bot(s, "/member/marketing-opt-out", { contactId }).expect(200)).body).toEqual({ marketingOptOut: true });
    expect((await s.http.get("/api/v1/me/preferences").set("Authorization", auth).expect(200)).body).toMatchObject({ marketingOptOut: true });
  });
});
