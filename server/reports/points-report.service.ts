import type { EntityManager } from "typeorm";
import type { StaffPrincipal } from "../http/context.js";
import type { LedgerReason } from "../points/points.entity.js";
import type { PeriodQuery } from "./reports.schema.js";
import { dayLabel, daysOf, periodOf, periodParams, periodView, shanghaiDay, storeOfReport } from "./scope.js";

/** Which way points went: to members, spent by them, lapsed, or taken back by the store. */
export type PointsFlow = "issued" | "spent" | "expired" | "takenBack";
export const FLOWS: Record<PointsFlow, string> = { issued: "发放", spent: "消耗", expired: "过期", takenBack: "扣回" };

/** Where points came from or went, from the ledger's reason (a complaint's compensation is an adjustment referring to it). */
export const POINTS_SOURCES = {
  consumption: { name: "消费积分", flow: "issued" },
  action: { name: "行为奖励", flow: "issued" },
  compensation: { name: "投诉补偿", flow: "issued" },
  coupon_refund: { name: "券作废退还", flow: "issued" },
  adjust_add: { name: "人工调增", flow: "issued" },
  exchange: { name: "兑换优惠券", flow: "spent" },
  expire: { name: "积分过期", flow: "expired" },
  consumption_void: { name: "消费作废扣回", flow: "takenBack" },
  adjust_deduct: { name: "人工调减", flow: "takenBack" },
} as const satisfies Record<string, { name: string; flow: PointsFlow }>;
export type PointsSource = keyof typeof POINTS_SOURCES;
const SOURCES = Object.keys(POINTS_SOURCES) as PointsSource[];

function sourceOf(reason: LedgerReason, complaint: boolean, credit: boolean): PointsSource {
  if (reason === "adjust") return complaint ? "compensation" : credit ? "adjust_add" : "adjust_deduct";
  return reason;
}

type BySource = Record<PointsSource, number>;
const zero = (): BySource => Object.fromEntries(SOURCES.map((s) => [s, 0])) as BySource;

function flowsOf(points: BySource) {
  const flow = (f: PointsFlow) => SOURCES.filter((s) => POINTS_SOURCES[s].flow === f).reduce((sum, s) => sum + points[s], 0);
  const [issued, spent, expired, takenBack] = [flow("issued"), flow("spent"), flow("expired"), flow("takenBack")];
  return { issued, spent, expired, takenBack, net: issued - spent - expired - takenBack };
}

/**
 * Points of the week or month from the ledger, by the Shanghai day they moved: issued by source,
 * spent, expired and taken back, all as positive points. A store's report covers the members whose
 * home store (所属门店) it is — the ledger does not record where exchanges or actions happened, and
 * store-bound staff serve exactly those members everywhere else in the console.
 */
export async function pointsReport(m: EntityManager, staff: StaffPrincipal, q: PeriodQuery, now: Date) {
  const storeId = storeOfReport(staff, q.storeId);
  const period = periodOf(q.period, q.date);
  const day = shanghaiDay(m, "l.createdAt");
  const complaint = "CASE WHEN l.refType = 'complaint' THEN 1 ELSE 0 END";
  const credit = "CASE WHEN l.delta >= 0 THEN 1 ELSE 0 END";
  const store = storeId === null ? "" : " JOIN member mb ON mb.id = l.memberId AND mb.storeId = ?";
  const rows: { day: string; reason: LedgerReason; complaint: string | number; credit: string | number; points: string | number; n: string | number }[] = await m.query(
    `SELECT ${day} AS day, l.reason AS reason, ${complaint} AS complaint, ${credit} AS credit, SUM(l.delta) AS points, COUNT(*) AS n
       FROM points_ledger l${store} WHERE l.createdAt >= ? AND l.createdAt < ? GROUP BY ${day}, l.reason, ${complaint}, ${credit}`,
    [...(storeId === null ? [] : [storeId]), ...periodParams(m, period)],
  );
  const perDay = new Map(daysOf(period).map((d) => [d, zero()]));
  const totals = zero();
  const entries = zero();
  for (const r of rows) {
    const source = sourceOf(r.reason, Number(r.complaint) === 1, Number(r.credit) === 1);
    const points = Math.abs(Number(r.points));
    perDay.get(r.day)![source] += points;
    totals[source] += points;
    entries[source] += Number(r.n);
  }
  return {
    period: periodView(period),
    storeId,
    generatedAt: now.toISOString(),
    ...flowsOf(totals),
    bySource: SOURCES.map((code) => ({ code, ...POINTS_SOURCES[code], points: totals[code], entries: entries[code] })),
    days: [...perDay].map(([date, bySource]) => ({ date, label: dayLabel(date), ...flowsOf(bySource), bySource })),
  };
}
export type PointsReport = Awaited<ReturnType<typeof pointsReport>>;
