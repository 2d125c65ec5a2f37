import { cancelBookingNotices, noticeBookingMade } from "../notify/booking-notices.js";
import { type EntityManager } from "typeorm";
import { getAsset } from "../assets/assets.service.js";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { uniqueViolationOf } from "../db/errors.js";
import { AppError, notFound } from "../http/app-error.js";
import { formatShanghai, todayInShanghai } from "../http/time.js";
import { randomCode } from "../members/member-code.js";
import { getMember, requireActiveStore } from "../members/members.service.js";
import { openingWindow } from "../stores/calendar.js";
import { readScheduleStore, type ScheduleStore } from "../stores/store-lock.js";
import { prepareBenefitUse, releaseBenefit, useOnce } from "../tiers/benefits.service.js";
import { toBookingView, toBookingViews } from "./booking-view.js";
import { Booking, type BookingChannel } from "./bookings.entity.js";
import type { CreateBookingBody, MyBookingsQuery } from "./bookings.schema.js";
import { moveSegments, prepareSegments } from "./segments.js";
import { checkHorizon } from "./slots.service.js";
import { SLOT_MINUTES, bayCount, planVisit, segmentsOf } from "./visit.js";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const PICKUP_BENEFIT = "pickup_delivery";

/** The service promises for a booking made at `now` for `start`. */
function promisesFor(start: Date, now: Date, repair: boolean) {
  return { respondBy: new Date(now.getTime() + 2 * HOUR), arriveBy: new Date(start.getTime() + 10 * MINUTE), onSiteBy: new Date(start.getTime() + 24 * HOUR), fixBy: repair ? new Date(start.getTime() + 48 * HOUR) : null };
}

/** A start must be on the 30-minute grid, far enough ahead, within the horizon and inside opening hours. */
async function checkStart(m: EntityManager, config: Config, store: ScheduleStore, start: Date, durationMinutes: number, now: Date): Promise<void> {
  if (start.getTime() % (SLOT_MINUTES * MINUTE) !== 0) throw new AppError("BOOKING_START_INVALID", "预约时间须为整点或半点");
  if (start.getTime() < now.getTime() + config.booking.minNoticeMinutes * MINUTE) {
    throw new AppError("BOOKING_TOO_SOON", `请至少提前 ${config.booking.minNoticeMinutes / 60} 小时预约`);
  }
  checkHorizon(config, todayInShanghai(start), now);
  await checkOpen(m, store, start, new Date(start.getTime() + durationMinutes * MINUTE));
}

/** The visit lies inside the store's opening hours of its day. */
async function checkOpen(m: EntityManager, store: ScheduleStore, start: Date, end: Date): Promise<void> {
  const date = todayInShanghai(start);
  const window = await openingWindow(m, store, date);
  if (!window.open) throw new AppError("STORE_CLOSED", window.reason, { date });
  if (start < window.opens || end > window.closes) throw new AppError("STORE_CLOSED", "所选时间不在门店营业时间内", { opens: window.opens.toISOString(), closes: window.closes.toISOString() });
}

/**
 * In the booking's transaction, after its places were taken: checks the hours again. Taking the places
 * wrote the day's usage rows, which a closure or change of hours writes too before it reads the
 * bookings (holdScheduleDays), so a change committed since the first check refuses the booking, and a
 * change still running waits for it (or, on another Galera node, loses certification and runs again)
 * and then sees it among the bookings it affects.
 */
async function recheckOpenHours(m: EntityManager, storeId: number, start: Date, end: Date): Promise<void> {
  await checkOpen(m, await readScheduleStore(m, storeId), start, end);
}

function checkNotSuspended(until: Date | null, now: Date): void {
  if (until && until > now) {
    throw new AppError("BOOKING_SUSPENDED", `因 90 天内 3 次预约未到店，在线预约已暂停至 ${formatShanghai(until)}，如需服务请致电门店`, { until: until.toISOString() });
  }
}

/** Who books: the member in the mini-program, or an advisor for the member (phone or walk-in). */
export interface BookedBy {
  channel: BookingChannel;
  staffId: number | null;
}
const BY_MEMBER: BookedBy = { channel: "miniprogram", staffId: null };

/**
 * Books a visit: capacity is taken segment by segment with guarded updates; the Idempotency-Key makes a
 * retry return the first booking. Staff booking for a member follow the same slot rules; only the
 * online-booking suspension (no-shows) does not stop them, since it tells the member to call the store.
 */
export async function createBooking(db: Database, config: Config, memberId: number, body: CreateBookingBody, idempotencyKey: string, now = new Date(), by: BookedBy = BY_MEMBER) {
  const replay = () => db.read(async (m) => {
    const existing = await m.findOneBy(Booking, { memberId, idempotencyKey });
    return existing ? toBookingView(m, existing, now) : null;
  });
  const first = await replay();
  if (first) return first;
  const start = new Date(body.start);
  const { visit, capacity } = await db.read(async (m) => {
    const member = await getMember(m, memberId);
    if (by.staffId === null) checkNotSuspended(member.bookingSuspendedUntil, now);
    await getAsset(m, memberId, body.assetId);
    const store = await requireActiveStore(m, body.storeId);
    const visit = await planVisit(m, body.serviceIds);
    if (visit.pickup && !body.address) throw new AppError("VALIDATION_FAILED", "上门取送车需要填写地址", [{ in: "body", field: "address", rule: "required", message: "缺少必填字段" }]);
    await checkStart(m, config, store, start, visit.durationMinutes, now);
    return { visit, capacity: await bayCount(m, store.id, visit.bayKind) };
  });
  const place = { storeId: body.storeId, bayKind: visit.bayKind };
  const segments = segmentsOf(start, visit.durationMinutes);
  await prepareSegments(db, place, segments);
  if (visit.pickup) await prepareBenefitUse(db, memberId, PICKUP_BENEFIT, now);
  try {
    return await db.tx(async (m) => {
      await moveSegments(m, place, [], segments, capacity);
      await recheckOpenHours(m, body.storeId, start, new Date(start.getTime() + visit.durationMinutes * MINUTE));
      const booking = await m.save(
        m.create(Booking, {
          bookingNo: `BK${todayInShanghai(now).replace(/-/g, "")}${randomCode(6)}`,
          memberId,
          storeId: body.storeId,
          assetId: body.assetId,
          serviceIds: visit.services.map((s) => s.id).join(","),
          bayKind: visit.bayKind,
          start,
          end: new Date(start.getTime() + visit.durationMinutes * MINUTE),
          status: "booked",
          note: body.note ?? null,
          address: visit.pickup ? body.address! : null,
          pickupBenefitUsed: false,
          idempotencyKey,
          channel: by.channel,
          createdByStaffId: by.staffId,
          cancelledBy: null,
          cancelReason: null,
          technicianId: null,
          checkInMileage: null,
          ...promisesFor(start, now, visit.repair),
          respondedAt: null,
          arrivedAt: null,
          checkedInAt: null,
          startedAt: null,
          readyAt: null,
          completedAt: null,
          cancelledAt: null,
          createdAt: now,
        }),
      );
      if (visit.pickup) booking.pickupBenefitUsed = await tryPickupBenefit(m, booking, now);
      await noticeBookingMade(m, booking, now);
      return toBookingView(m, booking, now);
    });
  } catch (err) {
    if (uniqueViolationOf(err) === null) throw err;
    const winner = await replay(); // the same key raced itself: answer with the booking that won
    if (!winner) throw err;
    return winner;
  }
}

/** Pays the pickup with the tier benefit when one is left this month; otherwise the pickup is charged as usual. */
async function tryPickupBenefit(m: EntityManager, booking: Booking, now: Date): Promise<boolean> {
  try {
    await useOnce(m, { memberId: booking.memberId, benefitCode: PICKUP_BENEFIT, reference: `booking:${booking.bookingNo}`, staffId: null, storeId: booking.storeId }, now);
  } catch (err) {
    if (err instanceof AppError && (err.code === "BENEFIT_NOT_AVAILABLE" || err.code === "BENEFIT_EXHAUSTED")) return false;
    throw err;
  }
  await m.update(Booking, { id: booking.id }, { pickupBenefitUsed: true });
  return true;
}

async function changeableBooking(m: EntityManager, config: Config, memberId: number, bookingId: number, now: Date): Promise<Booking> {
  const booking = await m.findOneBy(Booking, { id: bookingId, memberId });
  if (!booking) throw notFound("预约");
  if (booking.status !== "booked") throw new AppError("BOOKING_STATUS_CONFLICT", "该预约当前状态不能修改", { status: booking.status });
  const deadline = new Date(booking.start.getTime() - config.booking.changeCutoffMinutes * MINUTE);
  if (now > deadline) throw new AppError("BOOKING_CHANGE_TOO_LATE", `开始前 ${config.booking.changeCutoffMinutes / 60} 小时内不能改约或取消，请致电门店`, { deadline: deadline.toISOString() });
  return booking;
}

/** Moves a booking to a new start: the old place is released and the new one taken in one transaction. */
export async function rescheduleBooking(db: Database, config: Config, memberId: number, bookingId: number, newStart: string, now = new Date()) {
  const start = new Date(newStart);
  const { booking, capacity } = await db.read(async (m) => {
    const booking = await changeableBooking(m, config, memberId, bookingId, now);
    const store = await requireActiveStore(m, booking.storeId);
    await checkStart(m, config, store, start, (booking.end.getTime() - booking.start.getTime()) / MINUTE, now);
    return { booking, capacity: await bayCount(m, booking.storeId, booking.bayKind) };
  });
  const duration = booking.end.getTime() - booking.start.getTime();
  const place = { storeId: booking.storeId, bayKind: booking.bayKind };
  const to = segmentsOf(start, duration / MINUTE);
  await prepareSegments(db, place, to);
  return db.tx(async (m) => {
    const moved = await m.update(
      Booking,
      { id: booking.id, status: "booked", start: booking.start },
      { start, end: new Date(start.getTime() + duration), ...promisesFor(start, booking.createdAt, booking.fixBy !== null), respondBy: booking.respondBy },
    );
    if (!moved.affected) throw new AppError("BOOKING_STATUS_CONFLICT", "预约已被修改，请刷新后重试");
    await moveSegments(m, place, segmentsOf(booking.start, duration / MINUTE), to, capacity);
    await recheckOpenHours(m, booking.storeId, start, new Date(start.getTime() + duration));
    const updated = await m.findOneByOrFail(Booking, { id: booking.id });
    await cancelBookingNotices(m, booking, "预约已改期");
    await noticeBookingMade(m, updated, now);
    return toBookingView(m, updated, now);
  });
}

/**
 * Cancels a booked visit by compare-and-set on its status and gives back its place and its pickup
 * benefit, in the caller's transaction; false when it was no longer booked.
 */
export async function cancelAndRelease(m: EntityManager, booking: Booking, cancelledBy: "member" | "store", reason: string | null, now: Date): Promise<boolean> {
  const cancelled = await m.update(Booking, { id: booking.id, status: "booked" }, { status: "cancelled", cancelledAt: now, cancelledBy, cancelReason: reason });
  if (!cancelled.affected) return false;
  await cancelBookingNotices(m, booking, cancelledBy === "store" ? "门店已取消预约" : "会员已取消预约");
  const duration = (booking.end.getTime() - booking.start.getTime()) / MINUTE;
  await moveSegments(m, { storeId: booking.storeId, bayKind: booking.bayKind }, segmentsOf(booking.start, duration), [], 0);
  if (booking.pickupBenefitUsed) await releaseBenefit(m, booking.memberId, PICKUP_BENEFIT, `booking:${booking.bookingNo}`);
  return true;
}

/** Cancels a booking until the cutoff; its place and any pickup benefit are given back. */
export async function cancelBooking(db: Database, config: Config, memberId: number, bookingId: number, now = new Date()) {
  return db.tx(async (m) => {
    const booking = await changeableBooking(m, config, memberId, bookingId, now);
    if (!(await cancelAndRelease(m, booking, "member", null, now))) throw new AppError("BOOKING_STATUS_CONFLICT", "预约已被修改，请刷新后重试");
    return toBookingView(m, { ...booking, status: "cancelled", cancelledAt: now, cancelledBy: "member" }, now);
  });
}

/** The member's bookings: upcoming ones soonest first, past ones newest first. */
export async function listMyBookings(m: EntityManager, memberId: number, query: MyBookingsQuery, now = new Date()) {
  const qb = m.createQueryBuilder(Booking, "b").where("b.memberId = :memberId", { memberId });
  if (query.scope === "upcoming") qb.andWhere("b.start >= :now", { now }).orderBy("b.start", "ASC");
  else if (query.scope === "past") qb.andWhere("b.start < :now", { now }).orderBy("b.start", "DESC");
  else qb.orderBy("b.start", "DESC");
  const [rows, total] = await qb.skip((query.page - 1) * query.pageSize).take(query.pageSize).getManyAndCount();
  return { total, page: query.page, pageSize: query.pageSize, items: await toBookingViews(m, rows, now) };
}

export async function getMyBooking(m: EntityManager, memberId: number, bookingId: number, now = new Date()) {
  const booking = await m.findOneBy(Booking, { id: bookingId, memberId });
  if (!booking) throw notFound("预约");
  return toBookingView(m, booking, now);
}
