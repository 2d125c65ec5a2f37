import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Coupon } from "../../../server/coupons/coupons.entity.js";
import { expireCoupons, issueBirthdayCoupons } from "../../../server/coupons/coupons.jobs.js";
import { Member } from "../../../server/members/members.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

const DAY = 86_400_000;

describe.each(DATABASE_KINDS)("coupons on %s", (kind) => {
  let s: TestApp;
  let manager: string;
  let advisor1: string;
  let advisor2: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    manager = (await s.loginStaff("manager", null)).auth;
    advisor1 = (await s.loginStaff("advisor", 1)).auth;
    advisor2 = (await s.loginStaff("advisor", 2)).auth;
  });
  afterAll(() => s.close());

  const createTemplate = async (body: Record<string, unknown>, auth = manager) => s.http.post("/api/v1/staff/coupon-templates").set("Authorization", auth).send({ validDays: 30, totalStock: 100, channel: "claim", ...body });
  const templateId = async (body: Record<string, unknown>) => (await createTemplate(body).then((r) => (expect(r.status).toBe(201), r))).body.id as number;
  const claim = (id: number, auth: string) => s.http.post(`/api/v1/coupons/templates/${id}/claim`).set("Authorization", auth);
  const redeem = (body: Record<string, unknown>, auth = advisor1) => s.http.post("/api/v1/staff/coupons/redeem").set("Authorization", auth).send(body);

  it.each([
    [{ name: "缺金额", kind: "cash" }, "valueFen"],
    [{ name: "门槛太低", kind: "threshold", valueFen: 5000, thresholdFen: 5000 }, "thresholdFen"],
    [{ name: "两种有效期", kind: "cash", valueFen: 100, validFrom: "2026-01-01T00:00:00Z", validTo: "2026-02-01T00:00:00Z" }, "validDays"],
    [{ name: "兑换无积分", kind: "cash", valueFen: 100, channel: "exchange" }, "pointsCost"],
    [{ name: "未知等级", kind: "cash", valueFen: 100, tierCodes: ["platinum"] }, "tierCodes"],
  ])("refuses an inconsistent template %j", async (body, field) => {
    const res = await createTemplate(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "COUPON_TEMPLATE_INVALID", details: { field } });
  });

  it("lets only managers create templates; a store manager only for their store", async () => {
    expect((await createTemplate({ name: "x", kind: "cash", valueFen: 100 }, advisor1)).status).toBe(403);
    const storeManager = (await s.loginStaff("manager", 1)).auth;
    expect((await createTemplate({ name: "x", kind: "cash", valueFen: 100, storeId: 2 }, storeManager)).body.error.code).toBe("STORE_SCOPE_FORBIDDEN");
    const own = await createTemplate({ name: "本店券", kind: "cash", valueFen: 100 }, storeManager);
    expect(own.body).toMatchObject({ storeId: 1, status: "active", remainingStock: 100 });
  });

  it("claims a coupon with an unguessable code, shows it in my coupons, keeps the per-member limit", async () => {
    const id = await templateId({ name: "满300减50", kind: "threshold", valueFen: 5000, thresholdFen: 30000, perMemberLimit: 1 });
    const { auth } = await s.loginMember("cpn-1", 1);
    const claimable = await s.http.get("/api/v1/coupons/claimable").set("Authorization", auth).expect(200);
    expect(claimable.body.find((t: { id: number }) => t.id === id)).toMatchObject({ canGet: true, claimedByMe: 0 });
    const coupon = (await claim(id, auth).expect(201)).body;
    expect(coupon.code).toMatch(/^[2-9A-Z]{16}$/);
    expect(coupon).toMatchObject({ status: "available", qrPayload: `CPN:${coupon.code}`, thresholdFen: 30000 });
    expect(Date.parse(coupon.validTo) - Date.parse(coupon.validFrom)).toBe(30 * DAY);
    const second = await claim(id, auth);
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe("COUPON_LIMIT_REACHED");
    const mine = await s.http.get("/api/v1/me/coupons?status=available").set("Authorization", auth).expect(200);
    expect(mine.body.items.map((c: { code: string }) => c.code)).toEqual([coupon.code]);
    const after = await s.http.get("/api/v1/coupons/claimable").set("Authorization", auth).expect(200);
    expect(after.body.find((t: { id: number }) => t.id === id)).toMatchObject({ canGet: false, claimedByMe: 1, reason: "已达到每人限领数量" });
  });

  it("refuses tier-restricted, paused, ended and wrong-channel templates", async () => {
    const { auth } = await s.loginMember("cpn-2", 1);
    const goldOnly = await templateId({ name: "金卡专享", kind: "cash", valueFen: 2000, tierCodes: ["gold", "diamond"] });
    expect((await claim(goldOnly, auth)).body.error.code).toBe("COUPON_TIER_RESTRICTED");
    const paused = await templateId({ name: "暂停券", kind: "cash", valueFen: 100 });
    await s.http.post(`/api/v1/staff/coupon-templates/${paused}/pause`).set("Authorization", manager).expect(200);
    expect((await claim(paused, auth)).body.error.code).toBe("COUPON_TEMPLATE_PAUSED");
    const ended = await templateId({ name: "过期活动", kind: "cash", valueFen: 100, validDays: undefined, validFrom: new Date(Date.now() - 10 * DAY).toISOString(), validTo: new Date(Date.now() - DAY).toISOString() });
    expect((await claim(ended, auth)).body.error.code).toBe("COUPON_TEMPLATE_EXPIRED");
    const staffOnly = await templateId({ name: "补偿券", kind: "cash", valueFen: 100, channel: "staff" });
    expect((await claim(staffOnly, auth)).body.error.code).toBe("COUPON_NOT_CLAIMABLE");
    expect((await claim(999_999, auth)).status).toBe(404);
    expect(await s.t.dataSource.manager.countBy(Coupon, { memberId: (await s.loginMember("cpn-2", 1)).member.id })).toBe(0);
  });

  it("exchanges points for a coupon, and refuses when points are short without taking any", async () => {
    const id = await templateId({ name: "200积分换洗车", kind: "service", serviceName: "免费洗车一次", channel: "exchange", pointsCost: 200 });
    const { auth, member } = await s.loginMember("cpn-3", 1);
    await s.http.post("/api/v1/staff/points/adjustments").set("Authorization", manager).send({ memberId: member.id, delta: 300, reason: "活动" }).expect(200);
    const ok = await s.http.post(`/api/v1/coupons/templates/${id}/exchange`).set("Authorization", auth).expect(201);
    expect(ok.body).toMatchObject({ pointsSpent: 200, pointsBalance: 100, coupon: { serviceName: "免费洗车一次", issuedVia: "exchange" } });
    const short = await s.http.post(`/api/v1/coupons/templates/${id}/exchange`).set("Authorization", auth);
    expect(short.status).toBe(409);
    expect(short.body.error.code).toBe("POINTS_INSUFFICIENT");
    expect((await s.t.dataSource.manager.findOneByOrFail(Member, { id: member.id })).pointsBalance).toBe(100);
    const history = await s.http.get("/api/v1/me/points").set("Authorization", auth).expect(200);
    expect(history.body.items[0]).toMatchObject({ delta: -200, reasonText: "兑换优惠券「200积分换洗车」" });
  });

  it("redeems once by code in the right store with the threshold met, and says clearly why not", async () => {
    const storeOnly = await templateId({ name: "本店满减", kind: "threshold", valueFen: 5000, thresholdFen: 30000, storeId: 1 });
    const { auth } = await s.loginMember("cpn-4", 1);
    const coupon = (await claim(storeOnly, auth).expect(201)).body;
    expect((await redeem({ code: "ABCDEFGHJKMNPQRS", orderNo: "WO-0" })).body.error.code).toBe("COUPON_NOT_FOUND");
    expect((await redeem({ code: coupon.code, orderNo: "WO-1", orderAmountFen: 40000 }, advisor2)).body.error.code).toBe("COUPON_WRONG_STORE");
    const low = await redeem({ code: coupon.code, orderNo: "WO-1", orderAmountFen: 29999 });
    expect(low.status).toBe(409);
    expect(low.body.error).toMatchObject({ code: "COUPON_THRESHOLD_NOT_MET", details: { thresholdFen: 30000 } });
    const ok = await redeem({ code: coupon.code.toLowerCase(), orderNo: "WO-1", orderAmountFen: 40000 }).expect(200);
    expect(ok.body).toMatchObject({ status: "used", discountFen: 5000, orderNo: "WO-1" });
    const twice = await redeem({ code: coupon.code, orderNo: "WO-2", orderAmountFen: 40000 });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe("COUPON_ALREADY_USED");
    expect(twice.body.error.details.orderNo).toBe("WO-1");
    expect((await s.http.get("/api/v1/me/coupons?status=used").set("Authorization", auth)).body.items[0].code).toBe(coupon.code);
  });

  it("replays a retried redeem with the same Idempotency-Key instead of failing it", async () => {
    const id = await templateId({ name: "八五折", kind: "percent", percentOff: 15, maxDiscountFen: 10000 });
    const { auth } = await s.loginMember("cpn-5", 1);
    const coupon = (await claim(id, auth).expect(201)).body;
    const body = { code: coupon.code, orderNo: "WO-P", orderAmountFen: 100000 };
    const first = await redeem(body).set("Idempotency-Key", "redeem-WO-P-1").expect(200);
    expect(first.body.discountFen).toBe(10000);
    const retry = await redeem(body).set("Idempotency-Key", "redeem-WO-P-1").expect(200);
    expect(retry.body).toEqual(first.body);
    const otherBody = await redeem({ ...body, orderNo: "WO-Q" }).set("Idempotency-Key", "redeem-WO-P-1");
    expect(otherBody.status).toBe(422);
    expect(otherBody.body.error.code).toBe("IDEMPOTENCY_KEY_REUSED");
  });

  it("marks expired coupons by job and refuses to redeem them", async () => {
    const id = await templateId({ name: "一天券", kind: "cash", valueFen: 1000, validDays: 1 });
    const { auth } = await s.loginMember("cpn-6", 1);
    const coupon = (await claim(id, auth).expect(201)).body;
    await s.t.dataSource.manager.update(Coupon, { code: coupon.code }, { validTo: new Date(Date.now() - 1000) });
    expect((await s.http.get("/api/v1/me/coupons?status=expired").set("Authorization", auth)).body.items[0]).toMatchObject({ code: coupon.code, status: "expired" });
    expect((await redeem({ code: coupon.code, orderNo: "WO-E" })).body.error.code).toBe("COUPON_EXPIRED");
    expect(await expireCoupons(s.t.db)).toBeGreaterThanOrEqual(1);
    expect((await s.t.dataSource.manager.findOneByOrFail(Coupon, { code: coupon.code })).status).toBe("expired");
  });

  it("voids with a reason (managers only) and a void coupon cannot be used", async () => {
    const id = await templateId({ name: "作废测试", kind: "cash", valueFen: 1000 });
    const { auth } = await s.loginMember("cpn-7", 1);
    const coupon = (await claim(id, auth).expect(201)).body;
    expect((await s.http.post(`/api/v1/staff/coupons/${coupon.code}/void`).set("Authorization", advisor1).send({ reason: "误发" })).status).toBe(403);
    await s.http.post(`/api/v1/staff/coupons/${coupon.code}/void`).set("Authorization", manager).send({ reason: "误发" }).expect(200);
    expect((await redeem({ code: coupon.code, orderNo: "WO-V" })).body.error.code).toBe("COUPON_VOID");
  });

  it("issues compensation coupons by staff and birthday coupons once a year by job", async () => {
    const comp = await templateId({ name: "投诉补偿券", kind: "cash", valueFen: 5000, channel: "staff" });
    const agent = (await s.loginStaff("agent", 1)).auth;
    const { auth, member } = await s.loginMember("cpn-8", 1);
    const issued = await s.http.post("/api/v1/staff/coupons/issue").set("Authorization", agent).send({ templateId: comp, memberCode: member.memberCode, note: "投诉补偿（工单 C-1024）" }).expect(201);
    expect(issued.body).toMatchObject({ issuedVia: "staff", valueFen: 5000 });
    const birthday = await templateId({ name: "生日礼券", kind: "cash", valueFen: 10000, channel: "job", jobCode: "birthday" });
    const now = new Date("2027-06-17T02:00:00Z"); // 10:00 in Shanghai
    await s.t.dataSource.manager.update(Member, { id: member.id }, { birthday: "1990-06-17" });
    expect(await issueBirthdayCoupons(s.t.db, now)).toBe(1);
    expect(await issueBirthdayCoupons(s.t.db, now)).toBe(0);
    const mine = await s.http.get("/api/v1/me/coupons").set("Authorization", auth).expect(200);
    expect(mine.body.items.filter((c: { templateId: number }) => c.templateId === birthday)).toHaveLength(1);
  });

  it("never shows one member another member's coupons", async () => {
    const id = await templateId({ name: "隐私券", kind: "cash", valueFen: 100 });
    const a = await s.loginMember("cpn-a", 1);
    const b = await s.loginMember("cpn-b", 1);
    const coupon = (await claim(id, a.auth).expect(201)).body;
    const listB = await s.http.get("/api/v1/me/coupons").set("Authorization", b.auth).expect(200);
    expect(listB.body.items.map((c: { code: string }) => c.code)).not.toContain(coupon.code);
  });
});
