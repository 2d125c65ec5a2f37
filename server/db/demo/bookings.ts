import { Asset } from "../../assets/assets.entity.js";
import { createBooking, cancelBooking } from "../../bookings/bookings.service.js";
import { bookForMember, checkIn, confirmBooking, markNoShow, markReady, startService } from "../../bookings/staff-bookings.service.js";
import { completeBooking, rateRecord } from "../../service-records/service-records.service.js";
import type { CompleteBody } from "../../service-records/service-records.schema.js";
import { addCalendarDays, type OpeningWindow } from "../../stores/calendar.js";
import { advisorOf, type DemoContext, type SeededMember } from "./context.js";
import { redeemHeldCoupon } from "./loyalty.js";
import { serviceItems } from "./items.js";
import { DAY, HOUR, MINUTE, hhmm, on, plusMinutes } from "./timeline.js";

/** service type ids of seed.ts: 1 保养, 2 维修, 3 检测, 5 年检代办 */
const VISITS = [
  { serviceIds: [1], minutes: 60, bay: "lift", weight: 50 },
  { serviceIds: [1, 3], minutes: 90, bay: "lift", weight: 12 },
  { serviceIds: [2], minutes: 120, bay: "lift", weight: 15 },
  { serviceIds: [3], minutes: 30, bay: "inspection", weight: 13 },
  { serviceIds: [5], minutes: 90, bay: "inspection", weight: 10 },
] as const;
type Visit = (typeof VISITS)[number];
const BAYS: Record<number, Record<Visit["bay"], number>> = { 1: { lift: 3, inspection: 1 }, 2: { lift: 2, inspection: 1 } };

interface Plan {
  member: SeededMember;
  assetId: number;
  storeId: number;
  visit: Visit;
  start: Date;
  bookingId?: number;
  bookingNo?: string;
  mileage?: number;
  recordId?: number;
}

/** Bookings a day of a store: a quiet past, a fuller board today and tomorrow. */
function countFor(ctx: DemoContext, storeId: number, date: string): number {
  if (date === ctx.today) return storeId === 1 ? 7 : 5;
  if (date > ctx.today) return storeId === 1 ? 5 : 4;
  return ctx.r.int(0, storeId === 1 ? 3 : 2) - (ctx.r.chance(0.3) ? 1 : 0);
}

/**
 * Plans every booking of the history (and today's and tomorrow's board) and adds its life to the
 * timeline: made in the mini-program, by phone or at the desk; confirmed, checked in, worked on, handed
 * back with a service record and points, sometimes rated; or a no-show, or cancelled by the member.
 * Planned places never exceed the bays, so the capacity guards refuse nothing.
 */
export function planBookings(ctx: DemoContext, windows: Map<string, OpeningWindow>): void {
  const used = new Map<string, number>();
  const lastVisit = new Map<number, number>();
  for (let date = ctx.firstDay; date <= addCalendarDays(ctx.today, 1); date = addCalendarDays(date, 1)) {
    for (const storeId of [1, 2]) {
      const window = windows.get(`${storeId}:${date}`);
      if (!window?.open) continue;
      for (let n = countFor(ctx, storeId, date); n > 0; n--) {
        const visit = pickWeighted(ctx, VISITS);
        const slots = Math.floor((window.closes.getTime() - window.opens.getTime() - visit.minutes * MINUTE) / (30 * MINUTE));
        if (slots < 0) continue;
        const start = new Date(window.opens.getTime() + ctx.r.int(0, slots) * 30 * MINUTE);
        const segments = Array.from({ length: visit.minutes / 30 }, (_, i) => `${storeId}:${visit.bay}:${start.getTime() + i * 30 * MINUTE}`);
        if (segments.some((s) => (used.get(s) ?? 0) >= BAYS[storeId][visit.bay])) continue;
        const member = pickMember(ctx, storeId, start, lastVisit);
        if (!member) continue;
        segments.forEach((s) => used.set(s, (used.get(s) ?? 0) + 1));
        lastVisit.set(member.id, start.getTime());
        addBooking(ctx, { member, assetId: ctx.r.pick(member.assets).id, storeId, visit, start });
      }
    }
  }
}

function pickWeighted<T extends { weight: number }>(ctx: DemoContext, items: readonly T[]): T {
  let roll = ctx.r.next() * items.reduce((sum, i) => sum + i.weight, 0);
  for (const item of items) if ((roll -= item.weight) < 0) return item;
  return items[items.length - 1];
}

/** A member of the store with a car who has no other visit within 5 days of this one. */
function pickMember(ctx: DemoContext, storeId: number, start: Date, lastVisit: Map<number, number>): SeededMember | null {
  const free = ctx.members.filter((m) => m.storeId === storeId && m.assets.length > 0 && Math.abs(start.getTime() - (lastVisit.get(m.id) ?? 0)) > 5 * DAY);
  return free.length ? pickWeighted(ctx, free) : null;
}

function addBooking(ctx: DemoContext, plan: Plan): void {
  const { r, db, config, timeline } = ctx;
  const advisor = advisorOf(ctx, plan.storeId);
  const startHour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Shanghai", hour: "2-digit", hourCycle: "h23" }).format(plan.start));
  const channel = startHour >= 12 && r.chance(0.15) ? "walk_in" : r.chance(0.3) ? "phone" : "miniprogram";
  const madeAt = channel === "walk_in" ? plusMinutes(plan.start, -r.int(150, 240)) : madeBefore(ctx, plan.start);
  const key = `demo-booking-${plan.start.getTime()}-${plan.member.id}`;
  const body = { storeId: plan.storeId, serviceIds: [...plan.visit.serviceIds], assetId: plan.assetId, start: plan.start.toISOString() };
  timeline.add(madeAt, async (at) => {
    const view = channel === "miniprogram" ? await createBooking(db, config, plan.member.id, body, key, at) : await bookForMember(db, config, advisor, { ...body, memberCode: plan.member.memberCode, channel }, key, at);
    plan.bookingId = view.id;
    plan.bookingNo = view.bookingNo;
  });
  const step = (at: Date, run: (at: Date, id: number) => Promise<unknown>, stamp = false) => timeline.add(at, async (t) => void (plan.bookingId && (await run(t, plan.bookingId))), stamp);

  // the 2-hour response promise: kept by day, broken for a booking made late in the evening
  if (channel === "miniprogram") {
    const hour = new Date(madeAt.getTime() + 8 * HOUR).getUTCHours();
    const morning = (date: string) => on(date, hhmm(8, r.int(40, 59)));
    const confirmAt = hour >= 19 ? morning(addCalendarDays(dateOf(madeAt), 1)) : hour < 8 ? morning(dateOf(madeAt)) : plusMinutes(madeAt, r.int(5, 100));
    if (confirmAt < plusMinutes(plan.start, -30)) step(confirmAt, (at, id) => db.tx((m) => confirmBooking(m, advisor, id, at)));
  }
  const fate = r.next();
  if (fate < 0.12) {
    const cancelAt = new Date(madeAt.getTime() + (plan.start.getTime() - 3 * HOUR - madeAt.getTime()) * r.next());
    if (cancelAt > plusMinutes(madeAt, 10)) return step(cancelAt, (at, id) => cancelBooking(db, config, plan.member.id, id, at));
  }
  if (fate > 0.91) return step(plusMinutes(plan.start, r.int(45, 90)), (at, id) => db.tx((m) => markNoShow(m, advisor, id, at)));

  const checkInAt = plusMinutes(plan.start, -r.int(0, 20));
  const km = r.int(600, 5200);
  step(checkInAt, async (at, id) => {
    const asset = await db.read((m) => m.findOneByOrFail(Asset, { id: plan.assetId }));
    plan.mileage = asset.mileage + km;
    await db.tx((m) => checkIn(m, advisor, id, plan.mileage!, at));
  });
  const startAt = plusMinutes(checkInAt, r.int(10, 30));
  step(startAt, (at, id) => db.tx((m) => startService(m, advisor, id, at)));
  const readyAt = new Date(Math.max(plusMinutes(plan.start, plan.visit.minutes + r.int(-10, 40)).getTime(), plusMinutes(startAt, 20).getTime()));
  step(readyAt, (at, id) => db.tx((m) => markReady(m, advisor, id, at)));
  const items = serviceItems(r, plan.visit.serviceIds, plan.member.assets.find((a) => a.id === plan.assetId)!.model);
  const useCoupon = r.chance(0.6);
  step(plusMinutes(readyAt, r.int(15, 90)), async (at, id) => {
    const body: CompleteBody = { items, mileage: plan.mileage! };
    if (useCoupon) await redeemHeldCoupon(ctx, plan.member, plan.storeId, plan.bookingNo!, items.reduce((sum, i) => sum + i.amountFen * i.quantity, 0), at);
    plan.recordId = (await db.tx((m) => completeBooking(m, config, advisor, id, body, at))).record.id;
  }, true);
  if (r.chance(0.45)) {
    const score = r.chance(0.75) ? 5 : r.int(3, 4);
    const comment = r.pick(["师傅很专业，讲解清楚", "速度快，休息区也舒服", "顾问服务热情", "价格透明，下次还来", "等待时间稍长，其他都好"]);
    step(plusMinutes(readyAt, r.int(180, 2000)), (at) => (plan.recordId ? db.tx((m) => rateRecord(m, config, plan.member.id, plan.recordId!, score, comment, at)) : Promise.resolve()), true);
  }
}

const dateOf = (at: Date) => new Date(at.getTime() + 8 * HOUR).toISOString().slice(0, 10);

/** Booked 1–6 days ahead at a waking hour, at least 3 hours before the start. */
function madeBefore(ctx: DemoContext, start: Date): Date {
  const day = addCalendarDays(dateOf(start), -ctx.r.int(1, 6));
  const at = on(day, hhmm(ctx.r.int(8, 21), ctx.r.int(0, 59)));
  return at < plusMinutes(start, -180) ? at : plusMinutes(start, -ctx.r.int(180, 600));
}
