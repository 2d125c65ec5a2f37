import type { EntityManager } from "typeorm";
import type { StaffPrincipal } from "../http/context.js";
import { ServiceType } from "../stores/stores.entity.js";
import type { PeriodQuery } from "./reports.schema.js";
import { dayLabel, daysOf, periodOf, periodParams, periodView, rate, shanghaiDay, storeOfReport } from "./scope.js";

/** The report's status columns: the booking's status, with a cancellation split by who cancelled. */
export const BOOKING_BUCKETS = {
  booked: "待到店",
  checked_in: "已到店",
  in_service: "施工中",
  ready_for_pickup: "待取车",
  completed: "已完成",
  no_show: "未到店",
  cancelled_member: "会员取消",
  cancelled_store: "门店取消",
} as const;
export type BookingBucket = keyof typeof BOOKING_BUCKETS;
const BUCKETS = Object.keys(BOOKING_BUCKETS) as BookingBucket[];
/** The member came: the visit was checked in, whatever happened after. */
const ARRIVED: BookingBucket[] = ["checked_in", "in_service", "ready_for_pickup", "completed"];

const bucketOf = (status: string, cancelledBy: string | null): BookingBucket =>
  status === "cancelled" ? (cancelledBy === "store" ? "cancelled_store" : "cancelled_member") : (status as BookingBucket);

type Counts = Record<BookingBucket, number>;
const zero = (): Counts => Object.fromEntries(BUCKETS.map((b) => [b, 0])) as Counts;

/**
 * No-show rate = no-shows ÷ bookings that were due, where "due" means the member was expected and
 * their attendance is settled: arrived (checked in, in service, ready, completed) or marked no-show.
 * Cancelled bookings and those still 待到店 (in the future, or not yet checked in nor marked) do not count.
 */
function figures(counts: Counts) {
  const due = ARRIVED.reduce((s, b) => s + counts[b], 0) + counts.no_show;
  return { counts, total: BUCKETS.reduce((s, b) => s + counts[b], 0), due, noShows: counts.no_show, noShowRate: rate(counts.no_show, due) };
}

/** Bookings of the week or month by the Shanghai day of their appointment: per status, the no-show rate, per service type. */
export async function bookingsReport(m: EntityManager, staff: StaffPrincipal, q: PeriodQuery, now: Date) {
  const storeId = storeOfReport(staff, q.storeId);
  const period = periodOf(q.period, q.date);
  const day = shanghaiDay(m, "b.start");
  const where = `b.start >= ? AND b.start < ?${storeId === null ? "" : " AND b.storeId = ?"}`;
  const params = [...periodParams(m, period), ...(storeId === null ? [] : [storeId])];
  // idx_booking_store_start serves a store's report; the (start) index every store's
  const byDay: { day: string; status: string; cancelledBy: string | null; n: string | number }[] = await m.query(
    `SELECT ${day} AS day, b.status AS status, b.cancelledBy AS cancelledBy, COUNT(*) AS n FROM booking b WHERE ${where} GROUP BY ${day}, b.status, b.cancelledBy`,
    params,
  );
  const byServices: { serviceIds: string; n: string | number }[] = await m.query(`SELECT b.serviceIds AS serviceIds, COUNT(*) AS n FROM booking b WHERE ${where} GROUP BY b.serviceIds`, params);

  const perDay = new Map(daysOf(period).map((d) => [d, zero()]));
  const totals = zero();
  for (const r of byDay) {
    const bucket = bucketOf(r.status, r.cancelledBy);
    perDay.get(r.day)![bucket] += Number(r.n);
    totals[bucket] += Number(r.n);
  }
  // a booking of several services counts once for each of them
  const perService = new Map<number, number>();
  for (const r of byServices) for (const id of r.serviceIds.split(",").map(Number)) perService.set(id, (perService.get(id) ?? 0) + Number(r.n));
  const services = await m.find(ServiceType, { select: { id: true, name: true }, order: { id: "ASC" } });
  return {
    period: periodView(period),
    storeId,
    generatedAt: now.toISOString(),
    statuses: BUCKETS.map((code) => ({ code, name: BOOKING_BUCKETS[code] })),
    ...figures(totals),
    days: [...perDay].map(([date, counts]) => ({ date, label: dayLabel(date), ...figures(counts) })),
    byService: services.filter((s) => perService.has(s.id)).map((s) => ({ serviceId: s.id, name: s.name, count: perService.get(s.id)! })),
  };
}
export type BookingsReport = Awaited<ReturnType<typeof bookingsReport>>;
