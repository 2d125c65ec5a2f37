import { In, type EntityManager } from "typeorm";
import { Asset } from "../assets/assets.entity.js";
import type { Booking } from "../bookings/bookings.entity.js";
import { formatShanghai } from "../http/time.js";
import { ServiceType, Store } from "../stores/stores.entity.js";
import { enqueue } from "./outbox.service.js";
import type { MessageKind } from "./templates.js";

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
export async function enqueueBookingNotice(m: EntityManager, kind: Extract<MessageKind, "booking_confirmed" | "booking_reminder" | "ready_for_pickup" | "booking_cancelled_by_store">, booking: Booking, now: Date, extra: Record<string, string> = {}, notBefore?: Date): Promise<boolean> {
  const vars = { ...(await bookingVars(m, booking)), ...extra };
  return enqueue(m, { kind, memberId: booking.memberId, storeId: booking.storeId, vars, dedupeKey: `${kind}:${booking.id}`, notBefore }, now);
}
