import { In, type EntityManager } from "typeorm";
import { Asset } from "../assets/assets.entity.js";
import type { Booking } from "../bookings/bookings.entity.js";
import { execute } from "../db/sql.js";
import { formatShanghai, todayInShanghai } from "../http/time.js";
import { addCalendarDays, shanghaiInstant } from "../stores/calendar.js";
import { ServiceType, Store } from "../stores/stores.entity.js";
import { enqueue } from "./outbox.service.js";
import type { MessageKind } from "./templates.js";

type BookingKind = Extract<MessageKind, "booking_confirmed" | "booking_reminder" | "ready_for_pickup" | "booking_cancelled_by_store">;

/** The evening-before reminder's time (the notify.booking-reminders job runs then as a safety net). */
export const REMINDER_TIME = "18:00";

/** When a booking's reminder goes: 18:00 (Shanghai) the day before its start. */
export const reminderTimeOf = (booking: Pick<Booking, "start">) => shanghaiInstant(addCalendarDays(todayInShanghai(booking.start), -1), REMINDER_TIME);

/** A booking message's dedupe key; confirmation and reminder name the start they are about, so a rescheduled booking gets its own. */
export const bookingNoticeKey = (kind: BookingKind, booking: Pick<Booking, "id" | "start">) =>
  kind === "booking_confirmed" || kind === "booking_reminder" ? `${kind}:${booking.id}:${booking.start.toISOString()}` : `${kind}:${booking.id}`;

/** The variables every booking message uses, read in the caller's transaction. */
export async function bookingVars(m: EntityManager, booking: Booking) {
  const ids = booking.serviceIds.split(",").map(Number);
  const [store, asset, services] = await Promise.all([m.findOneBy(Store, { id: booking.storeId }), m.findOneBy(Asset, { id: booking.assetId }), m.findBy(ServiceType, { id: In(ids) })]);
  return {
    bookingId: booking.id,
    bookingNo: booking.bookingNo,
    storeName: store?.name ?? "门店",
    serviceNames: ids.map((id) => services.find((s) => s.id === id)?.name ?? "服务").join("、"),
    start: formatShanghai(booking.start),
    plate: asset?.plate ?? "",
  };
}

/** Queues one booking message in the caller's transaction (the booking change and its message commit together). */
export async function enqueueBookingNotice(m: EntityManager, kind: BookingKind, booking: Booking, now: Date, extra: Record<string, string> = {}, notBefore?: Date): Promise<boolean> {
  const vars = { ...(await bookingVars(m, booking)), ...extra };
  return enqueue(m, { kind, memberId: booking.memberId, storeId: booking.storeId, vars, dedupeKey: bookingNoticeKey(kind, booking), notBefore }, now);
}

/**
 * A booking made or moved to a new start, in its own transaction: the confirmation now, and the reminder
 * queued for 18:00 the day before. Made after that point (the evening before, or on the day), the
 * confirmation arriving now is its reminder: a second message minutes later would only be noise.
 */
export async function noticeBookingMade(m: EntityManager, booking: Booking, now: Date): Promise<void> {
  await enqueueBookingNotice(m, "booking_confirmed", booking, now);
  const remindAt = reminderTimeOf(booking);
  if (now < remindAt) await enqueueBookingNotice(m, "booking_reminder", booking, now, {}, remindAt);
}

/** A booking cancelled or moved away from `booking.start`: its unsent confirmation and reminder for that start are cancelled in the same transaction. */
export async function cancelBookingNotices(m: EntityManager, booking: Pick<Booking, "id" | "start">, reason: string): Promise<number> {
  const keys = [bookingNoticeKey("booking_confirmed", booking), bookingNoticeKey("booking_reminder", booking)];
  return execute(m, "UPDATE outbox_message SET status = 'cancelled', lastError = ? WHERE dedupeKey IN (?, ?) AND status IN ('queued', 'held')", [reason, ...keys]);
}
