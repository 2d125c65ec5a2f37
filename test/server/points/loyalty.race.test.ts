import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Coupon, CouponTemplate } from "../../../server/coupons/coupons.entity.js";
import { Member } from "../../../server/members/members.entity.js";
import { PointsLedger, PointsLot } from "../../../server/points/points.entity.js";
import { BenefitRedemption, BenefitUsage } from "../../../server/tiers/tiers.entity.js";
import { RACE_KINDS } from "../../helpers/databases.js";
import { createMembers, startTwoInstances, type TwoInstances } from "../../helpers/instances.js";

/** For every member: balance = sum of the ledger = what the lots still hold; never negative. */
async function expectBalancesConsistent(x: TwoInstances) {
  const m = x.s.t.dataSource.manager;
  const members = await m.find(Member);
  const ledger = await m.createQueryBuilder(PointsLedger, "l").select("l.memberId", "memberId").addSelect("SUM(l.delta)", "sum").groupBy("l.memberId").getRawMany();
  const lots = await m.createQueryBuilder(PointsLot, "l").select("l.memberId", "memberId").addSelect("SUM(l.remaining)", "sum").groupBy("l.memberId").getRawMany();
  for (const member of members) {
    expect(member.pointsBalance).toBeGreaterThanOrEqual(0);
    expect(Number(ledger.find((r) => Number(r.memberId) === member.id)?.sum ?? 0)).toBe(member.pointsBalance);
    expect(Number(lots.find((r) => Number(r.memberId) === member.id)?.sum ?? 0)).toBe(member.pointsBalance);
  }
}

describe.each(RACE_KINDS)("loyalty invariants under parallel requests over two instances on %s", (kind) => {
  let x: TwoInstances;
  let manager: string;
  let advisor: string;
  beforeAll(async () => {
    x = await startTwoInstances(kind);
    manager = (await x.s.loginStaff("manager", null)).auth;
    advisor = (await x.s.loginStaff("advisor", 1)).auth;
  });
  afterAll(() => x.close());

  const template = async (body: Record<string, unknown>) => {
    const res = await x.call(0, "POST", "/api/v1/staff/coupon-templates", manager, { kind: "cash", valueFen: 1000, validDays: 30, ...body });
    expect(res.status).toBe(201);
    return res.body.id as number;
  };

  it("1000 claims by 500 members of a stock of 100, limit 1 each: exactly 100 coupons, nobody has two", async () => {
    const id = await template({ name: "限量洗车券", totalStock: 100, perMemberLimit: 1, channel: "claim" });
    const members = await createMembers(x.s, 500, "claim");
    const results = await Promise.all(Array.from({ length: 1000 }, (_, i) => x.call(i, "POST", `/api/v1/coupons/templates/${id}/claim`, members[i % 500].auth)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(100);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 409 && ["COUPON_OUT_OF_STOCK", "COUPON_LIMIT_REACHED"].includes(r.body.error.code))).toBe(true);
    const m = x.s.t.dataSource.manager;
    expect(await m.countBy(Coupon, { templateId: id })).toBe(100);
    expect((await m.findOneByOrFail(CouponTemplate, { id })).issuedCount).toBe(100);
    const perMember = await m.createQueryBuilder(Coupon, "c").select("c.memberId", "memberId").addSelect("COUNT(*)", "n").where("c.templateId = :id", { id }).groupBy("c.memberId").getRawMany();
    expect(perMember.every((r) => Number(r.n) === 1)).toBe(true);
  }, 120_000);

  it("a member with 500 points sends 200 exchanges of a 10-point coupon: exactly 50 succeed, balance 0", async () => {
    const id = await template({ name: "10积分兑换券", totalStock: 1000, channel: "exchange", pointsCost: 10 });
    const [member] = await createMembers(x.s, 1, "exch");
    await x.call(0, "POST", "/api/v1/staff/points/adjustments", manager, { memberId: member.id, delta: 500, reason: "活动赠送" }).then((r) => expect(r.status).toBe(200));
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => x.call(i, "POST", `/api/v1/coupons/templates/${id}/exchange`, member.auth)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(50);
    expect(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.error.code === "POINTS_INSUFFICIENT")).toBe(true);
    const m = x.s.t.dataSource.manager;
    expect((await m.findOneByOrFail(Member, { id: member.id })).pointsBalance).toBe(0);
    expect(await m.countBy(Coupon, { templateId: id, memberId: member.id })).toBe(50);
    expect(await m.countBy(PointsLedger, { memberId: member.id, reason: "exchange" })).toBe(50);
    await expectBalancesConsistent(x);
  }, 120_000);

  it("50 redeems of one coupon code: exactly one succeeds", async () => {
    const id = await template({ name: "核销测试券", totalStock: 10, channel: "claim" });
    const [member] = await createMembers(x.s, 1, "redeem");
    const coupon = (await x.call(0, "POST", `/api/v1/coupons/templates/${id}/claim`, member.auth)).body;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => x.call(i, "POST", "/api/v1/staff/coupons/redeem", advisor, { code: coupon.code, orderNo: `WO-${i}` })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.body.error.code === "COUPON_ALREADY_USED")).toBe(true);
    const used = await x.s.t.dataSource.manager.findOneByOrFail(Coupon, { code: coupon.code });
    expect(used.status).toBe("used");
    expect(results.find((r) => r.status === 200)!.body.orderNo).toBe(used.usedOrderNo);
  }, 60_000);

  it("20 uses of a benefit with 4 left: exactly 4 succeed", async () => {
    const [member] = await createMembers(x.s, 1, "benefit");
    const m = x.s.t.dataSource.manager;
    await m.update(Member, { id: member.id }, { tierCode: "gold" });
    const { memberCode } = await m.findOneByOrFail(Member, { id: member.id });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => x.call(i, "POST", "/api/v1/staff/benefits/redeem", advisor, { memberCode, benefitCode: "free_inspection", reference: `WO-B-${i}` })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(4);
    expect(results.filter((r) => r.status !== 200).map((r) => r.body.error.code)).toEqual(Array(16).fill("BENEFIT_EXHAUSTED"));
    expect((await m.findOneByOrFail(BenefitUsage, { memberId: member.id, benefitCode: "free_inspection" })).used).toBe(4);
    expect(await m.countBy(BenefitRedemption, { memberId: member.id })).toBe(4);
  }, 60_000);

  it("the same consumption posted 20 times with one orderNo is credited once", async () => {
    const [member] = await createMembers(x.s, 1, "consume");
    const body = { memberId: member.id, amountFen: 68_000, category: "maintenance", orderNo: `RACE-${kind}` };
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => x.call(i, "POST", "/api/v1/staff/consumptions", advisor, body)));
    expect(results.every((r) => r.status === 200)).toBe(true);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect(results.filter((r) => !r.body.replayed)).toHaveLength(1);
    const m = x.s.t.dataSource.manager;
    expect(await m.countBy(PointsLedger, { memberId: member.id })).toBe(1);
    expect((await m.findOneByOrFail(Member, { id: member.id })).pointsBalance).toBe(680);
    await expectBalancesConsistent(x);
  }, 60_000);

  it("20 voids of one purchase: one succeeds and the points come back once", async () => {
    const [member] = await createMembers(x.s, 1, "void");
    const orderNo = `VOID-RACE-${kind}`;
    await x.call(0, "POST", "/api/v1/staff/consumptions", advisor, { memberId: member.id, amountFen: 50_000, category: "repair", orderNo }).then((r) => expect(r.status).toBe(200));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => x.call(i, "POST", `/api/v1/staff/consumptions/${orderNo}/void`, advisor, { reason: "退单" })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.body.error.code === "CONSUMPTION_ALREADY_VOIDED")).toBe(true);
    expect((await x.s.t.dataSource.manager.findOneByOrFail(Member, { id: member.id })).pointsBalance).toBe(0);
    expect(await x.s.t.dataSource.manager.countBy(PointsLedger, { memberId: member.id, reason: "consumption_void" })).toBe(1);
    await expectBalancesConsistent(x);
  }, 60_000);

  it("30 claims retried with one Idempotency-Key give one coupon and the same answer", async () => {
    const id = await template({ name: "幂等测试券", totalStock: 100, perMemberLimit: 5, channel: "claim" });
    const [member] = await createMembers(x.s, 1, "idem");
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => x.call(i, "POST", `/api/v1/coupons/templates/${id}/claim`, member.auth, undefined, { "Idempotency-Key": "claim-once-0001" })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.code)).size).toBe(1);
    expect(await x.s.t.dataSource.manager.countBy(Coupon, { templateId: id })).toBe(1);
  }, 60_000);
});
