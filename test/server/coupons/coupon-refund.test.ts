import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Coupon } from "../../../server/coupons/coupons.entity.js";
import { Member } from "../../../server/members/members.entity.js";
import { PointsLedger, PointsLot } from "../../../server/points/points.entity.js";
import { RACE_KINDS } from "../../helpers/databases.js";
import { createMembers, startTwoInstances, type TwoInstances } from "../../helpers/instances.js";

describe.each(RACE_KINDS)("voiding a coupon bought with points on %s", (kind) => {
  let x: TwoInstances;
  let manager: string;
  let exchangeTemplate: number;
  let claimTemplate: number;
  beforeAll(async () => {
    x = await startTwoInstances(kind);
    manager = (await x.s.loginStaff("manager", null)).auth;
    const create = async (body: object) => (await x.call(0, "POST", "/api/v1/staff/coupon-templates", manager, { kind: "cash", valueFen: 2000, validDays: 30, totalStock: 1000, ...body })).body.id as number;
    exchangeTemplate = await create({ name: "保养抵用券", channel: "exchange", pointsCost: 100 });
    claimTemplate = await create({ name: "免费洗车券", channel: "claim" });
  });
  afterAll(() => x.close());

  /** A member with `points`, who then buys one coupon with 100 of them. */
  async function memberWithBoughtCoupon(prefix: string, points = 500) {
    const [member] = await createMembers(x.s, 1, `${prefix}-${kind}`);
    expect((await x.call(0, "POST", "/api/v1/staff/points/adjustments", manager, { memberId: member.id, delta: points, reason: "活动赠送" })).status).toBe(200);
    const bought = await x.call(0, "POST", `/api/v1/coupons/templates/${exchangeTemplate}/exchange`, member.auth);
    expect(bought.status).toBe(201);
    return { member, code: bought.body.coupon.code as string };
  }
  const balanceOf = async (id: number) => (await x.s.t.dataSource.manager.findOneByOrFail(Member, { id })).pointsBalance;

  it("refunds the points once, in 积分明细 and 券包, without counting them as earned", async () => {
    const { member, code } = await memberWithBoughtCoupon("refund");
    expect(await balanceOf(member.id)).toBe(400);
    const voided = await x.call(1, "POST", `/api/v1/staff/coupons/${code}/void`, manager, { reason: "客户投诉补偿调整" });
    expect(voided.status).toBe(200);
    expect(voided.body).toMatchObject({ status: "void", refundedPoints: 100 });
    expect(await balanceOf(member.id)).toBe(500);

    const again = await x.call(0, "POST", `/api/v1/staff/coupons/${code}/void`, manager, { reason: "重复操作" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("COUPON_VOID");
    expect(await balanceOf(member.id)).toBe(500);

    const ledger = (await x.call(0, "GET", "/api/v1/me/points", member.auth)).body.items;
    expect(ledger[0]).toMatchObject({ delta: 100, balanceAfter: 500, reason: "coupon_refund", reasonText: "券作废退还积分：保养抵用券" });
    const wallet = (await x.call(0, "GET", "/api/v1/me/coupons?status=void", member.auth)).body.items;
    expect(wallet).toEqual([expect.objectContaining({ code, status: "void", refundedPoints: 100 })]);
    expect((await x.call(0, "GET", "/api/v1/me", member.auth)).body.earnedLast12Months).toBe(0);
  });

  it("refunds nothing for an expired coupon or one that cost no points", async () => {
    const { member, code } = await memberWithBoughtCoupon("expired");
    await x.s.t.dataSource.manager.update(Coupon, { code }, { validTo: new Date(Date.now() - 60_000) });
    const expired = await x.call(0, "POST", `/api/v1/staff/coupons/${code}/void`, manager, { reason: "过期清理" });
    expect(expired.status).toBe(200);
    expect(expired.body.refundedPoints).toBe(0);
    expect(await balanceOf(member.id)).toBe(400);

    const claimed = await x.call(0, "POST", `/api/v1/coupons/templates/${claimTemplate}/claim`, member.auth);
    const free = await x.call(0, "POST", `/api/v1/staff/coupons/${claimed.body.code}/void`, manager, { reason: "发放错误" });
    expect(free.body.refundedPoints).toBe(0);
    expect(await balanceOf(member.id)).toBe(400);

    // one the nightly job already marked expired is voided the same way, without a refund
    const { code: marked } = await (async () => {
      const bought = await x.call(0, "POST", `/api/v1/coupons/templates/${exchangeTemplate}/exchange`, member.auth);
      await x.s.t.dataSource.manager.update(Coupon, { code: bought.body.coupon.code }, { status: "expired", validTo: new Date(Date.now() - 60_000) });
      return { code: bought.body.coupon.code as string };
    })();
    const markedVoid = await x.call(1, "POST", `/api/v1/staff/coupons/${marked}/void`, manager, { reason: "过期清理" });
    expect([markedVoid.status, markedVoid.body.refundedPoints]).toEqual([200, 0]);
    expect(await balanceOf(member.id)).toBe(300);
    const wallet = (await x.call(0, "GET", "/api/v1/me/coupons?status=void", member.auth)).body.items;
    expect(wallet.map((c: { code: string; refundedPoints: number }) => [c.code, c.refundedPoints])).toEqual([
      [marked, 0],
      [claimed.body.code, 0],
      [code, 0],
    ]);
    expect(await x.s.t.dataSource.manager.countBy(PointsLedger, { memberId: member.id, reason: "coupon_refund" })).toBe(0);
  });

  it("cannot void a coupon that was used, and refunds nothing then", async () => {
    const { member, code } = await memberWithBoughtCoupon("used");
    expect((await x.call(0, "POST", "/api/v1/staff/coupons/redeem", manager, { code, orderNo: `WO-${kind}-1`, storeId: 1 })).status).toBe(200);
    const refused = await x.call(1, "POST", `/api/v1/staff/coupons/${code}/void`, manager, { reason: "误操作" });
    expect([refused.status, refused.body.error.code]).toEqual([409, "COUPON_ALREADY_USED"]);
    expect(await balanceOf(member.id)).toBe(400);
  });

  it("60 parallel voids of one coupon over two instances: one succeeds, one refund, the ledger and lots still add up", async () => {
    const { member, code } = await memberWithBoughtCoupon("race-void");
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => x.call(i, "POST", `/api/v1/staff/coupons/${code}/void`, manager, { reason: "并发作废" })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && r.body.error.code === "COUPON_VOID")).toBe(true);
    const m = x.s.t.dataSource.manager;
    expect(await m.countBy(PointsLedger, { memberId: member.id, reason: "coupon_refund" })).toBe(1);
    const ledger = await m.findBy(PointsLedger, { memberId: member.id });
    const lots = await m.findBy(PointsLot, { memberId: member.id });
    expect(await balanceOf(member.id)).toBe(500);
    expect(ledger.reduce((sum, l) => sum + l.delta, 0)).toBe(500);
    expect(lots.reduce((sum, l) => sum + l.remaining, 0)).toBe(500);
  }, 60_000);

  it("40 voids and 40 redemptions of one coupon at once over two instances: one of them wins, and points are refunded only if a void won", async () => {
    const { member, code } = await memberWithBoughtCoupon("mixd-race");
    const results = await Promise.all(
      Array.from({ length: 80 }, (_, i) =>
        i % 2 === 0
          ? x.call(i >> 1, "POST", `/api/v1/staff/coupons/${code}/void`, manager, { reason: "并发作废" })
          : x.call(i >> 1, "POST", "/api/v1/staff/coupons/redeem", manager, { code, orderNo: `WO-${kind}-${i}`, storeId: 1 }),
      ),
    );
    const won = results.filter((r) => r.status === 200);
    expect(won).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status === 409 && ["COUPON_VOID", "COUPON_ALREADY_USED"].includes(r.body.error.code))).toBe(true);
    const m = x.s.t.dataSource.manager;
    const voidWon = (await m.findOneByOrFail(Coupon, { code })).status === "void";
    expect(await m.countBy(PointsLedger, { memberId: member.id, reason: "coupon_refund" })).toBe(voidWon ? 1 : 0);
    const balance = await balanceOf(member.id);
    expect(balance).toBe(voidWon ? 500 : 400);
    expect((await m.findBy(PointsLedger, { memberId: member.id })).reduce((sum, l) => sum + l.delta, 0)).toBe(balance);
    expect((await m.findBy(PointsLot, { memberId: member.id })).reduce((sum, l) => sum + l.remaining, 0)).toBe(balance);
  }, 60_000);
});
