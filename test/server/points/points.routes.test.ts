import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLog } from "../../../server/audit/audit.entity.js";
import { Member } from "../../../server/members/members.entity.js";
import { PointsLedger, PointsLot } from "../../../server/points/points.entity.js";
import { pointsForPurchase } from "../../../server/points/earning.service.js";
import { expirePoints } from "../../../server/points/points.jobs.js";
import { TierHistory } from "../../../server/tiers/tiers.entity.js";
import { reviewAllTiers } from "../../../server/tiers/tiers.jobs.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe("points for a purchase", () => {
  it("is 1 per yuan, times category, tier and birthday multipliers, rounded down", () => {
    expect(pointsForPurchase(68_050, 1, 100, 100, 100)).toBe(680);
    expect(pointsForPurchase(68_050, 1, 50, 100, 100)).toBe(340);
    expect(pointsForPurchase(10_000, 1, 100, 120, 200)).toBe(240);
    expect(pointsForPurchase(99, 1, 100, 100, 100)).toBe(0);
  });
});

describe.each(DATABASE_KINDS)("points ledger on %s", (kind) => {
  let s: TestApp;
  let advisor: string;
  let manager: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    advisor = (await s.loginStaff("advisor", 1)).auth;
    manager = (await s.loginStaff("manager", 1)).auth;
  });
  afterAll(() => s.close());

  const m = () => s.t.dataSource.manager;
  const consume = (body: Record<string, unknown>, auth = advisor) => s.http.post("/api/v1/staff/consumptions").set("Authorization", auth).send(body);
  const balanceOf = async (id: number) => (await m().findOneByOrFail(Member, { id })).pointsBalance;

  it("credits a purchase by member code, shows why in the member's history, and repeats the same answer", async () => {
    const { auth, member } = await s.loginMember("pts-1", 1);
    const body = { memberCode: member.memberCode, amountFen: 68_050, category: "maintenance", orderNo: "A-1001" };
    const first = await consume(body).expect(200);
    expect(first.body).toMatchObject({ orderNo: "A-1001", pointsEarned: 680, pointsBalance: 680, replayed: false, storeId: 1 });
    const again = await consume(body).expect(200);
    expect(again.body).toMatchObject({ id: first.body.id, pointsEarned: 680, pointsBalance: 680, replayed: true });
    const history = await s.http.get("/api/v1/me/points").set("Authorization", auth).expect(200);
    expect(history.body.items).toEqual([expect.objectContaining({ delta: 680, balanceAfter: 680, reason: "consumption", reasonText: "保养消费 ¥680.50（单号 A-1001）" })]);
    const conflict = await consume({ ...body, amountFen: 1 });
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe("ORDER_NO_CONFLICT");
  });

  it("halves points for insurance; a gold member earns ×1.2, and ×2 more in the birthday month", async () => {
    const { member } = await s.loginMember("pts-2", 1);
    await consume({ memberId: member.id, amountFen: 100_000, category: "insurance", orderNo: "INS-1" }).expect(200);
    expect(await balanceOf(member.id)).toBe(500);
    const month = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", month: "2-digit" }).format(new Date());
    await m().update(Member, { id: member.id }, { tierCode: "gold" });
    expect((await consume({ memberId: member.id, amountFen: 10_000, category: "repair", orderNo: "GOLD-1" }).expect(200)).body.pointsEarned).toBe(120);
    await m().update(Member, { id: member.id }, { birthday: `1990-${month}-01` });
    const res = await consume({ memberId: member.id, amountFen: 10_000, category: "repair", orderNo: "BD-1" }).expect(200);
    expect(res.body.pointsEarned).toBe(240);
  });

  it.each([
    [{ amountFen: -100 }, "amountFen"],
    [{ amountFen: 10.5 }, "amountFen"],
    [{ amountFen: "100" }, "amountFen"],
    [{ amountFen: 0 }, "amountFen"],
    [{ orderNo: "no spaces" }, "orderNo"],
    [{ points: 5 }, "points"],
  ])("rejects %j and credits nothing", async (change, field) => {
    const { member } = await s.loginMember("pts-bad", 1);
    const res = await consume({ memberId: member.id, amountFen: 1000, category: "repair", orderNo: `BAD-${field}`, ...change });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0].field).toBe(field);
    expect(await m().countBy(PointsLedger, { memberId: member.id })).toBe(0);
  });

  it("rejects an unknown category, an unknown member code and another store's member by id", async () => {
    const { member } = await s.loginMember("pts-3", 2);
    expect((await consume({ memberId: member.id, amountFen: 1000, category: "spa", orderNo: "X-1" })).body.error.code).toBe("STORE_SCOPE_FORBIDDEN");
    const advisor2 = (await s.loginStaff("advisor", 2)).auth;
    expect((await consume({ memberId: member.id, amountFen: 1000, category: "spa", orderNo: "X-1" }, advisor2)).body.error.code).toBe("CATEGORY_UNKNOWN");
    const unknown = await consume({ memberCode: "ZZZZZZZZZZ", amountFen: 1000, category: "repair", orderNo: "X-2" });
    expect(unknown.status).toBe(404);
    expect(await balanceOf(member.id)).toBe(0);
  });

  it("voids a purchase: points taken back, never below zero, with the shortfall kept", async () => {
    const { member } = await s.loginMember("pts-4", 1);
    await consume({ memberId: member.id, amountFen: 50_000, category: "repair", orderNo: "V-1" }).expect(200);
    await s.http.post("/api/v1/staff/points/adjustments").set("Authorization", manager).send({ memberId: member.id, delta: -300, reason: "兑换礼品" }).expect(200);
    const res = await s.http.post("/api/v1/staff/consumptions/V-1/void").set("Authorization", advisor).send({ reason: "客户退单" }).expect(200);
    expect(res.body).toEqual({ orderNo: "V-1", status: "voided", pointsTakenBack: 200, shortfall: 300, pointsBalance: 0 });
    expect((await s.http.post("/api/v1/staff/consumptions/V-1/void").set("Authorization", advisor).send({ reason: "again" })).body.error.code).toBe("CONSUMPTION_ALREADY_VOIDED");
    const row = await m().findOneByOrFail(PointsLedger, { idempotencyKey: "consumption_void:V-1" });
    expect(row).toMatchObject({ delta: -200, shortfall: 300, balanceAfter: 0 });
  });

  it("credits an action once per reference", async () => {
    const { member } = await s.loginMember("pts-5", 1);
    const body = { memberCode: member.memberCode, rule: "service_review", reference: "REVIEW-9" };
    const first = await s.http.post("/api/v1/staff/points/actions").set("Authorization", advisor).send(body).expect(200);
    const second = await s.http.post("/api/v1/staff/points/actions").set("Authorization", advisor).send(body).expect(200);
    expect(first.body).toMatchObject({ points: 50, replayed: false, pointsBalance: 50 });
    expect(second.body).toMatchObject({ points: 50, replayed: true, pointsBalance: 50 });
    expect((await s.http.post("/api/v1/staff/points/actions").set("Authorization", advisor).send({ ...body, rule: "lottery" })).body.error.code).toBe("RULE_UNKNOWN");
  });

  it("lets only managers adjust, never below zero, audited", async () => {
    const { member } = await s.loginMember("pts-6", 1);
    const body = { memberId: member.id, delta: 100, reason: "系统补录" };
    expect((await s.http.post("/api/v1/staff/points/adjustments").set("Authorization", advisor).send(body)).status).toBe(403);
    await s.http.post("/api/v1/staff/points/adjustments").set("Authorization", manager).send(body).expect(200);
    const tooMuch = await s.http.post("/api/v1/staff/points/adjustments").set("Authorization", manager).send({ ...body, delta: -101 });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error).toMatchObject({ code: "POINTS_INSUFFICIENT", details: { required: 101, balance: 100 } });
    expect((await s.http.post("/api/v1/staff/points/adjustments").set("Authorization", manager).send({ ...body, delta: 0 })).status).toBe(400);
    expect(await balanceOf(member.id)).toBe(100);
    expect(await m().countBy(AuditLog, { action: "points.adjusted", targetId: member.id })).toBe(1);
  });

  it("spends the earliest-expiring lots first and expires what is left of old lots", async () => {
    const { auth, member } = await s.loginMember("pts-7", 1);
    await consume({ memberId: member.id, amountFen: 10_000, category: "repair", orderNo: "LOT-1" }).expect(200);
    await consume({ memberId: member.id, amountFen: 20_000, category: "repair", orderNo: "LOT-2" }).expect(200);
    const [older, newer] = await m().find(PointsLot, { where: { memberId: member.id }, order: { id: "ASC" } });
    const soon = new Date(Date.now() + 10 * 86_400_000);
    await m().update(PointsLot, { id: newer.id }, { expiresAt: soon }); // the later lot now expires first
    await s.http.post("/api/v1/staff/points/adjustments").set("Authorization", manager).send({ memberId: member.id, delta: -150, reason: "核对" }).expect(200);
    expect((await m().findOneByOrFail(PointsLot, { id: newer.id })).remaining).toBe(50);
    expect((await m().findOneByOrFail(PointsLot, { id: older.id })).remaining).toBe(100);

    const me = await s.http.get("/api/v1/me").set("Authorization", auth).expect(200);
    expect(me.body).toMatchObject({ pointsBalance: 150, expiringIn30Days: { points: 50, firstExpiresAt: soon.toISOString() } });

    expect(await expirePoints(s.t.db, new Date(soon.getTime() + 1000))).toBe(50);
    expect(await balanceOf(member.id)).toBe(100);
    const history = await s.http.get("/api/v1/me/points").set("Authorization", auth).expect(200);
    expect(history.body.items[0]).toMatchObject({ delta: -50, reason: "expire", balanceAfter: 100 });
    expect(history.body.items[0].reasonText).toMatch(/积分过期/);
    expect(await expirePoints(s.t.db, new Date(soon.getTime() + 1000))).toBe(0);
  });

  it("upgrades as soon as a threshold is crossed and downgrades only at the monthly review", async () => {
    const { auth, member } = await s.loginMember("pts-8", 1);
    expect((await s.http.get("/api/v1/me").set("Authorization", auth)).body).toMatchObject({ tier: { code: "normal" }, nextTier: { code: "silver", pointsNeeded: 1000 } });
    await consume({ memberId: member.id, amountFen: 120_000, category: "repair", orderNo: "UP-1" }).expect(200);
    const me = (await s.http.get("/api/v1/me").set("Authorization", auth)).body;
    expect(me).toMatchObject({ tier: { code: "silver", name: "银卡" }, earnedLast12Months: 1200, nextTier: { code: "gold", pointsNeeded: 3800 } });
    const history = await m().findBy(TierHistory, { memberId: member.id });
    expect(history).toEqual([expect.objectContaining({ fromTier: "normal", toTier: "silver", earned12m: 1200 })]);
    expect(history[0].reason).toMatch(/达到银卡门槛 1000/);

    await s.http.post("/api/v1/staff/consumptions/UP-1/void").set("Authorization", advisor).send({ reason: "退单" }).expect(200);
    expect((await m().findOneByOrFail(Member, { id: member.id })).tierCode).toBe("silver");
    await reviewAllTiers(s.t.db);
    expect((await m().findOneByOrFail(Member, { id: member.id })).tierCode).toBe("normal");
    const down = await s.http.get("/api/v1/me/tier-history").set("Authorization", auth).expect(200);
    expect(down.body[0]).toMatchObject({ fromTier: "silver", toTier: "normal" });
    expect(down.body[0].reason).toMatch(/月度复核降级/);
  });
});

describe.each(DATABASE_KINDS)("action credits racing on %s", (kind) => {
  it("credits a referral reference once even when 20 posts for two members race", async () => {
    const s = await startTestApp(kind);
    try {
      const advisor = (await s.loginStaff("advisor", 1)).auth;
      const a = (await s.loginMember("ref-a", 1)).member;
      const b = (await s.loginMember("ref-b", 1)).member;
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => s.http.post("/api/v1/staff/points/actions").set("Authorization", advisor).send({ memberId: i % 2 ? a.id : b.id, rule: "referral_purchase", reference: "ORDER-777" })),
      );
      expect(results.every((r) => r.status === 200 || (r.status === 409 && r.body.error.code === "ACTION_ALREADY_CREDITED"))).toBe(true);
      const m = s.t.dataSource.manager;
      expect(await m.countBy(PointsLedger, { idempotencyKey: "action:referral_purchase:ORDER-777" })).toBe(1);
      const balances = [(await m.findOneByOrFail(Member, { id: a.id })).pointsBalance, (await m.findOneByOrFail(Member, { id: b.id })).pointsBalance];
      expect(balances.sort()).toEqual([0, 2000]);
    } finally {
      await s.close();
    }
  });
});
