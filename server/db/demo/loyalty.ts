import { Coupon, CouponTemplate } from "../../coupons/coupons.entity.js";
import { claimCoupon, exchangeCoupon } from "../../coupons/issue.service.js";
import { redeemCoupon } from "../../coupons/redeem.service.js";
import { createTemplate, setTemplateStatus } from "../../coupons/templates.service.js";
import { execute, sqlDate } from "../sql.js";
import { addMonths } from "../../http/time.js";
import { addCalendarDays } from "../../stores/calendar.js";
import type { Database } from "../database.js";
import { advisorOf, type DemoContext, type SeededMember } from "./context.js";
import { hhmm, on } from "./timeline.js";

export type DemoTemplates = Record<"welcome" | "wash" | "cash100" | "care50" | "care200" | "threshold" | "winter", number>;

/** The coupon templates, through the templates service: the group's (admin) and 浦东店's own (manager1). */
export async function createDemoTemplates(ctx: DemoContext): Promise<DemoTemplates> {
  const { admin, manager1 } = ctx.staff;
  const make = (staff: typeof admin, body: Parameters<typeof createTemplate>[2]) => ctx.db.tx(async (m) => (await createTemplate(m, staff, body)).id);
  return {
    welcome: await make(admin, { name: "保养立减 50 元", kind: "cash", valueFen: 5000, validDays: 30, totalStock: 200, perMemberLimit: 1, channel: "claim" }),
    wash: await make(admin, { name: "积分兑换 · 精洗美容券", kind: "service", serviceName: "精洗美容一次", validDays: 60, totalStock: 100, channel: "exchange", pointsCost: 300 }),
    cash100: await make(admin, { name: "积分兑换 · 100 元代金券", kind: "cash", valueFen: 10000, validDays: 90, totalStock: 30, channel: "exchange", pointsCost: 1000 }),
    care50: await make(admin, { name: "服务补偿 · 50 元代金券", kind: "cash", valueFen: 5000, validDays: 90, totalStock: 100, channel: "staff" }),
    care200: await make(admin, { name: "服务补偿 · 200 元代金券", kind: "cash", valueFen: 20000, validDays: 90, totalStock: 20, channel: "staff" }),
    threshold: await make(manager1, { name: "浦东店 · 维修满 800 减 80", kind: "threshold", valueFen: 8000, thresholdFen: 80000, validDays: 45, totalStock: 40, perMemberLimit: 1, channel: "claim" }),
    winter: await make(manager1, { name: "浦东店 · 冬季免费检测", kind: "service", serviceName: "冬季安全检测", validDays: 30, totalStock: 12, perMemberLimit: 1, channel: "claim" }),
  };
}

/** A random instant on one of the history's days (offset from its first day), between 09:00 and 21:59. */
const someTime = (ctx: DemoContext, fromDay: number, toDay: number) => on(addCalendarDays(ctx.firstDay, ctx.r.int(fromDay, toDay)), hhmm(ctx.r.int(9, 21), ctx.r.int(0, 59)));

/** Claims in the mini-program, points exchanges of the regulars, and the winter coupon paused when its stock ran low. */
export function planCoupons(ctx: DemoContext, t: DemoTemplates): void {
  const { db, timeline, r } = ctx;
  for (const member of ctx.members) {
    if (r.chance(0.5)) timeline.add(someTime(ctx, 0, 52), (at) => db.tx((m) => claimCoupon(m, member.id, t.welcome, at)).then(() => undefined));
    if (member.storeId === 1 && r.chance(0.35)) timeline.add(someTime(ctx, 5, 50), (at) => db.tx((m) => claimCoupon(m, member.id, t.threshold, at)).then(() => undefined));
    if (member.storeId === 1 && r.chance(0.4)) timeline.add(someTime(ctx, 20, 44), (at) => db.tx((m) => claimCoupon(m, member.id, t.winter, at)).then(() => undefined));
    // points paid for a coupon: refused (POINTS_INSUFFICIENT) when the member has not earned enough by then
    const tries = member.weight >= 3 ? 2 : r.chance(0.25) ? 1 : 0;
    for (let i = 0; i < tries; i++) {
      const template = member.weight >= 5 && i === 1 ? t.cash100 : t.wash;
      timeline.add(someTime(ctx, 25, 55), (at) => db.tx((m) => exchangeCoupon(m, member.id, template, `demo-${member.id}-${i}`, at)).then(() => undefined), true);
    }
  }
  timeline.add(on(addCalendarDays(ctx.firstDay, 45), "09:10"), () => db.tx((m) => setTemplateStatus(m, ctx.staff.manager1, t.winter, "paused")).then(() => undefined));
}

/** At the cash desk: the member's soonest-expiring coupon that fits this store and order is redeemed on it (核销). */
export async function redeemHeldCoupon(ctx: DemoContext, member: SeededMember, storeId: number, orderNo: string, orderAmountFen: number, at: Date): Promise<void> {
  const coupon = await ctx.db.read((m) =>
    m
      .createQueryBuilder(Coupon, "c")
      .innerJoin(CouponTemplate, "t", "t.id = c.templateId")
      .where("c.memberId = :memberId AND c.status = 'available' AND c.validFrom <= :at AND c.validTo > :at", { memberId: member.id, at })
      .andWhere("(t.storeId IS NULL OR t.storeId = :storeId) AND t.thresholdFen <= :amount", { storeId, amount: orderAmountFen })
      .orderBy("c.validTo", "ASC")
      .getOne(),
  );
  if (coupon) await ctx.db.tx((m) => redeemCoupon(m, advisorOf(ctx, storeId), { code: coupon.code, orderNo, orderAmountFen }, at));
}

/**
 * The points ledger, its lots and tier moves take their time from the wall clock (points.service.ts
 * appendLedger, tiers.service.ts moveTier: no `now` to pass), so a credit made for an event weeks ago
 * would read as made today. After each such event the rows it wrote get the event's instant (a lot's
 * expiry moves with it, as creditPoints computes it); amounts and balances stay what the services wrote.
 */
export class PointsClock {
  private last = { ledger: 0, lot: 0, tier: 0 };

  constructor(private db: Database, private expiryMonths: number) {}

  async start(): Promise<void> {
    this.last = await this.maxIds();
  }

  async stamp(at: Date): Promise<void> {
    const { ledger, lot, tier } = this.last;
    await this.db.tx(async (m) => {
      await execute(m, "UPDATE points_ledger SET createdAt = ? WHERE id > ?", [sqlDate(m, at), ledger]);
      await execute(m, "UPDATE points_lot SET createdAt = ?, expiresAt = ? WHERE id > ?", [sqlDate(m, at), sqlDate(m, addMonths(at, this.expiryMonths)), lot]);
      await execute(m, "UPDATE tier_history SET createdAt = ? WHERE id > ?", [sqlDate(m, at), tier]);
    });
    this.last = await this.maxIds();
  }

  private async maxIds() {
    const [row] = (await this.db.read((m) =>
      m.query("SELECT (SELECT COALESCE(MAX(id), 0) FROM points_ledger) AS ledger, (SELECT COALESCE(MAX(id), 0) FROM points_lot) AS lot, (SELECT COALESCE(MAX(id), 0) FROM tier_history) AS tier"),
    )) as { ledger: number | string; lot: number | string; tier: number | string }[];
    return { ledger: Number(row.ledger), lot: Number(row.lot), tier: Number(row.tier) };
  }
}
