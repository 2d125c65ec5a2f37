import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Member } from "../../../server/members/members.entity.js";
import { PointsLedger, PointsLot } from "../../../server/points/points.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

// The exchange usually lets its guarded decrement take the member lock; these cover the cases where that
// decrement cannot decide alone (tier, expiry, shortfall) and the exactness of the balances it records.
describe.each(DATABASE_KINDS)("points exchange paths on %s", (kind) => {
  let s: TestApp;
  let manager: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    manager = (await s.loginStaff("manager", null)).auth;
  });
  afterAll(() => s.close());

  const exchangeTemplate = async (body: Record<string, unknown>) => {
    const res = await s.http.post("/api/v1/staff/coupon-templates").set("Authorization", manager).send({ kind: "cash", valueFen: 500, validDays: 30, totalStock: 100, channel: "exchange", ...body });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };
  const give = (memberId: number, delta: number) => s.http.post("/api/v1/staff/points/adjustments").set("Authorization", manager).send({ memberId, delta, reason: "活动" }).expect(200);
  const exchange = (id: number, auth: string) => s.http.post(`/api/v1/coupons/templates/${id}/exchange`).set("Authorization", auth);
  const balanceOf = async (memberId: number) => (await s.t.dataSource.manager.findOneByOrFail(Member, { id: memberId })).pointsBalance;

  /** balance = sum of the ledger = what the lots hold, and every ledger row's balance follows the one before it */
  async function expectExact(memberId: number) {
    const m = s.t.dataSource.manager;
    const ledger = await m.find(PointsLedger, { where: { memberId }, order: { id: "ASC" } });
    const lots = await m.findBy(PointsLot, { memberId });
    let running = 0;
    for (const row of ledger) {
      running += row.delta;
      expect(row.balanceAfter).toBe(running);
    }
    expect(running).toBe(await balanceOf(memberId));
    expect(lots.reduce((sum, lot) => sum + lot.remaining, 0)).toBe(running);
  }

  it("a gold-only exchange refuses a normal member without taking points, lets a gold one pay, and names the tier before the stock", async () => {
    const id = await exchangeTemplate({ name: "金卡兑换", pointsCost: 100, totalStock: 1, tierCodes: ["gold"] });
    const normal = await s.loginMember("exch-normal", 1);
    const gold = await s.loginMember("exch-gold", 1);
    await give(normal.member.id, 300);
    await give(gold.member.id, 300);
    await s.t.dataSource.manager.update(Member, { id: gold.member.id }, { tierCode: "gold" });
    expect((await exchange(id, normal.auth)).body.error.code).toBe("COUPON_TIER_RESTRICTED");
    expect(await balanceOf(normal.member.id)).toBe(300);
    expect((await exchange(id, gold.auth).expect(201)).body).toMatchObject({ pointsSpent: 100, pointsBalance: 200 });
    expect((await exchange(id, normal.auth)).body.error.code).toBe("COUPON_TIER_RESTRICTED");
    expect((await exchange(id, gold.auth)).body.error.code).toBe("COUPON_OUT_OF_STOCK");
    expect(await balanceOf(gold.member.id)).toBe(200);
    await expectExact(normal.member.id);
    await expectExact(gold.member.id);
  });

  it("expires due points before spending, answers the balance left, and refuses a shortfall without taking any", async () => {
    const id = await exchangeTemplate({ name: "150积分券", pointsCost: 150 });
    const { auth, member } = await s.loginMember("exch-expiry", 1);
    await give(member.id, 100);
    await give(member.id, 200);
    const m = s.t.dataSource.manager;
    const [first] = await m.find(PointsLot, { where: { memberId: member.id }, order: { id: "ASC" } });
    await m.update(PointsLot, { id: first.id }, { expiresAt: new Date(Date.now() - 1000) });
    expect((await exchange(id, auth).expect(201)).body).toMatchObject({ pointsSpent: 150, pointsBalance: 50 });
    expect(await m.countBy(PointsLedger, { memberId: member.id, reason: "expire" })).toBe(1);
    const short = await exchange(id, auth);
    expect(short.status).toBe(409);
    expect(short.body.error).toMatchObject({ code: "POINTS_INSUFFICIENT", details: { required: 150, balance: 50 } });
    expect(await balanceOf(member.id)).toBe(50);
    await expectExact(member.id);
  });

  it("20 exchanges at once by one member each answer a different balance, and the ledger stays exact", async () => {
    const id = await exchangeTemplate({ name: "10积分券", pointsCost: 10 });
    const { auth, member } = await s.loginMember("exch-burst", 1);
    await give(member.id, 150);
    await give(member.id, 100);
    const results = await Promise.all(Array.from({ length: 20 }, () => exchange(id, auth)));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const balances = results.map((r) => r.body.pointsBalance as number).sort((a, b) => b - a);
    expect(balances).toEqual(Array.from({ length: 20 }, (_, i) => 240 - 10 * i));
    expect(await balanceOf(member.id)).toBe(50);
    await expectExact(member.id);
  });
});
