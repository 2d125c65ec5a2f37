import { enqueueBookingNotice } from "../notify/booking-notices.js";
import { In, MoreThanOrEqual, type EntityManager } from "typeorm";
import { AppError } from "../http/app-error.js";
import { todayInShanghai } from "../http/time.js";
import { Member } from "../members/members.entity.js";
import { maskPhone } from "../privacy/mask.js";
import { openingWindow, type OpeningWindow } from "../stores/calendar.js";
import { Store } from "../stores/stores.entity.js";
import { Booking } from "./bookings.entity.js";
import { cancelAndRelease } from "./bookings.service.js";

/** What a manager chose for bookings that a change of hours or a closure leaves outside opening hours. */
export interface AffectedChoice {
  cancelAffected?: boolean;
  cancelReason?: string;
}

/** 张先生 → 张**: enough for the manager to recognise a booking, not a name to copy out of a list. */
export function maskName(name: string | null): string | null {
  if (!name) return null;
  const chars = Array.from(name);
  return chars.length === 1 ? "*" : chars[0] + "*".repeat(Math.min(chars.length - 1, 3));
}

/**
 * Upcoming booked visits of the store that do not fit its opening hours as they are now in this
 * transaction, i.e. after a change was written and before it commits.
 */
export async function bookingsOutsideHours(m: EntityManager, storeId: number, now: Date): Promise<Booking[]> {
  const store = await m.findOneByOrFail(Store, { id: storeId });
  const upcoming = await m.find(Booking, { where: { storeId, status: "booked", start: MoreThanOrEqual(now) }, order: { start: "ASC" } });
  const windows = new Map<string, OpeningWindow>();
  const outside: Booking[] = [];
  for (const booking of upcoming) {
    const date = todayInShanghai(booking.start);
    if (!windows.has(date)) windows.set(date, await openingWindow(m, store, date));
    const window = windows.get(date)!;
    if (!window.open || booking.start < window.opens || booking.end > window.closes) outside.push(booking);
  }
  return outside;
}

/** The affected bookings as a manager sees them: number, time, channel, and the member masked. */
export async function describeAffected(m: EntityManager, bookings: Booking[]) {
  const members = bookings.length ? await m.findBy(Member, { id: In([...new Set(bookings.map((b) => b.memberId))]) }) : [];
  return bookings.map((b) => {
    const member = members.find((x) => x.id === b.memberId);
    return {
      id: b.id,
      bookingNo: b.bookingNo,
      start: b.start.toISOString(),
      end: b.end.toISOString(),
      channel: b.channel,
      memberId: b.memberId,
      memberName: maskName(member?.nickname ?? null),
      memberPhone: maskPhone(member?.phone ?? null),
    };
  });
}
export type AffectedBooking = Awaited<ReturnType<typeof describeAffected>>[number];

/** Tells each member that the store cancelled their booking, with the reason: one outbox message per booking, in the caller's transaction. */
export async function notifyStoreCancellation(m: EntityManager, bookings: Booking[], reason: string, now: Date): Promise<void> {
  for (const booking of bookings) await enqueueBookingNotice(m, "booking_cancelled_by_store", booking, now, { reason });
}

/**
 * Run after a store's hours or closures changed, in the same transaction. Bookings left outside the
 * new hours make the change fail with BOOKINGS_AFFECTED and their list (nothing is saved), unless the
 * manager chose to cancel them: then each is cancelled by the store with the reason, its place and
 * pickup benefit are given back, and the member is to be told. Bookings hold no points or coupons
 * (those are settled when the visit is completed), so there is nothing else to give back.
 * Returns the cancelled bookings.
 */
export async function settleAffectedBookings(m: EntityManager, storeId: number, choice: AffectedChoice, now = new Date()): Promise<AffectedBooking[]> {
  const affected = await bookingsOutsideHours(m, storeId, now);
  if (affected.length === 0) return [];
  if (!choice.cancelAffected) {
    const bookings = await describeAffected(m, affected);
    throw new AppError("BOOKINGS_AFFECTED", `该调整会影响 ${affected.length} 个已有预约。如确认调整，请选择由门店取消这些预约并填写原因`, { count: affected.length, bookings });
  }
  if (!choice.cancelReason) throw new AppError("VALIDATION_FAILED", "由门店取消预约需要填写原因", [{ in: "body", field: "cancelReason", rule: "required", message: "缺少必填字段" }]);
  const cancelled: Booking[] = [];
  for (const booking of affected) if (await cancelAndRelease(m, booking, "store", choice.cancelReason, now)) cancelled.push(booking);
  const described = await describeAffected(m, cancelled);
  await notifyStoreCancellation(m, cancelled, choice.cancelReason, now);
  return described;
}
