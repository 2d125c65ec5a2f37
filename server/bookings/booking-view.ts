import { In, type EntityManager } from "typeorm";
import { Asset } from "../assets/assets.entity.js";
import { ServiceType } from "../stores/stores.entity.js";
import type { Booking, BookingChannel } from "./bookings.entity.js";

/** How the booking was made, as members and staff read it. */
export const CHANNEL_NAMES: Record<BookingChannel, string> = { miniprogram: "小程序预约", phone: "电话预约", walk_in: "到店预约" };

const OPEN: Booking["status"][] = ["booked", "checked_in", "in_service", "ready_for_pickup"];

/** Which service promises a booking broke, or is breaking now (response 2 h, arrival +10 min, on site 24 h, fixed 48 h). */
export function latenessOf(b: Booking, now = new Date()) {
  if (b.status === "cancelled") return { response: false, arrival: false, onSite: false, fix: false };
  const late = (done: Date | null, due: Date | null, stillOpen: boolean) => due !== null && (done ? done > due : stillOpen && now > due);
  const open = OPEN.includes(b.status);
  return {
    response: late(b.respondedAt ?? b.checkedInAt, b.respondBy, open),
    arrival: b.status !== "no_show" && late(b.arrivedAt ?? b.checkedInAt, b.arriveBy, open),
    onSite: late(b.startedAt, b.onSiteBy, open),
    fix: late(b.readyAt ?? b.completedAt, b.fixBy, open),
  };
}

/** Bookings as members and staff read them: services by name, plate, promises and lateness. */
export async function toBookingViews(m: EntityManager, bookings: Booking[], now = new Date()) {
  const serviceIds = [...new Set(bookings.flatMap((b) => b.serviceIds.split(",").map(Number)))];
  const [services, assets] = await Promise.all([
    serviceIds.length ? m.findBy(ServiceType, { id: In(serviceIds) }) : [],
    bookings.length ? m.findBy(Asset, { id: In([...new Set(bookings.map((b) => b.assetId))]) }) : [],
  ]);
  return bookings.map((b) => ({
    id: b.id,
    bookingNo: b.bookingNo,
    memberId: b.memberId,
    storeId: b.storeId,
    assetId: b.assetId,
    plate: assets.find((a) => a.id === b.assetId)?.plate ?? null,
    services: b.serviceIds.split(",").map((id) => {
      const s = services.find((x) => x.id === Number(id));
      return { id: Number(id), code: s?.code ?? null, name: s?.name ?? null };
    }),
    start: b.start.toISOString(),
    end: b.end.toISOString(),
    status: b.status,
    channel: b.channel,
    channelName: CHANNEL_NAMES[b.channel],
    createdByStaffId: b.createdByStaffId,
    cancelledBy: b.cancelledBy,
    cancelReason: b.cancelReason,
    note: b.note,
    address: b.address,
    pickupBenefitUsed: b.pickupBenefitUsed,
    technicianId: b.technicianId,
    checkInMileage: b.checkInMileage,
    promises: { respondBy: b.respondBy.toISOString(), arriveBy: b.arriveBy.toISOString(), onSiteBy: b.onSiteBy.toISOString(), fixBy: b.fixBy?.toISOString() ?? null },
    lateness: latenessOf(b, now),
    createdAt: b.createdAt.toISOString(),
  }));
}

export async function toBookingView(m: EntityManager, booking: Booking, now = new Date()) {
  return (await toBookingViews(m, [booking], now))[0];
}
