import { enqueueBookingNotice } from "../notify/booking-notices.js";
import { In, IsNull, MoreThan, Not, type EntityManager } from "typeorm";
import { Asset } from "../assets/assets.entity.js";
import { assertMileageForward } from "../assets/assets.service.js";
import type { Config } from "../config.js";
import type { Database } from "../db/database.js";
import { affectedOf } from "../db/errors.js";
import { AppError, notFound } from "../http/app-error.js";
import { assertStoreScope } from "../http/auth.js";
import type { StaffPrincipal } from "../http/context.js";
import { todayInShanghai } from "../http/time.js";
import { Member } from "../members/members.entity.js";
import { phoneForRole } from "../privacy/mask.js";
import { StaffAccount } from "../staff/staff.entity.js";
import { addCalendarDays, shanghaiInstant } from "../stores/calendar.js";
import { ServiceType, Technician } from "../stores/stores.entity.js";
import { toBookingView, toBookingViews } from "./booking-view.js";
import { Booking, type BookingStatus } from "./bookings.entity.js";
import type { StaffBookingBody } from "./bookings.schema.js";
import { createBooking } from "./bookings.service.js";

export const NO_SHOW_LIMIT = 3;
const NO_SHOW_WINDOW_DAYS = 90;
const SUSPENSION_DAYS = 30;
const DAY = 86_400_000;

/** A booking of a store the staff member may act on. */
export async function staffBooking(m: EntityManager, staff: StaffPrincipal, bookingId: number): Promise<Booking> {
  const booking = await m.findOneBy(Booking, { id: bookingId });
  if (!booking) throw notFound("预约");
  assertStoreScope(staff, booking.storeId);
  return booking;
}

/** Compare-and-set of the status: only from the listed statuses, so two advisors cannot both move one booking. */
export async function moveStatus(m: EntityManager, booking: Booking, from: BookingStatus[], to: BookingStatus, changes: Partial<Booking> = {}): Promise<Booking> {
  const moved = await m.update(Booking, { id: booking.id, status: In(from) }, { status: to, ...changes });
  if (affectedOf(moved) === 0) {
    const current = await m.findOneByOrFail(Booking, { id: booking.id });
    throw new AppError("BOOKING_STATUS_CONFLICT", `预约当前状态为「${STATUS_NAMES[current.status]}」，不能改为「${STATUS_NAMES[to]}」`, { status: current.status });
  }
  return m.findOneByOrFail(Booking, { id: booking.id });
}

export const STATUS_NAMES: Record<BookingStatus, string> = {
  booked: "已预约",
  checked_in: "已到店",
  in_service: "服务中",
  ready_for_pickup: "待取车",
  completed: "已完成",
  cancelled: "已取消",
  no_show: "未到店",
};

/** One store's bookings on a Shanghai date, in start order, with member and lateness. */
export async function daySchedule(m: EntityManager, staff: StaffPrincipal, storeId: number, date: string, now = new Date()) {
  assertStoreScope(staff, storeId);
  const from = shanghaiInstant(date, "00:00");
  const to = shanghaiInstant(addCalendarDays(date, 1), "00:00");
  const bookings = await m
    .createQueryBuilder(Booking, "b")
    .where("b.storeId = :storeId AND b.start >= :from AND b.start < :to", { storeId, from, to })
    .orderBy("b.start", "ASC")
    .getMany();
  const staffIds = [...new Set(bookings.flatMap((b) => (b.createdByStaffId === null ? [] : [b.createdByStaffId])))];
  const [members, bookers, views] = await Promise.all([
    bookings.length ? m.findBy(Member, { id: In([...new Set(bookings.map((b) => b.memberId))]) }) : [],
    staffIds.length ? m.find(StaffAccount, { where: { id: In(staffIds) }, select: { id: true, name: true } }) : [],
    toBookingViews(m, bookings, now),
  ]);
  return views.map((v) => {
    const member = members.find((x) => x.id === v.memberId);
    const createdByStaffName = bookers.find((x) => x.id === v.createdByStaffId)?.name ?? null;
    return { ...v, memberNickname: member?.nickname ?? null, memberPhone: phoneForRole(member?.phone ?? null, staff.role), statusName: STATUS_NAMES[v.status], createdByStaffName };
  });
}

/** Bookings of the staff member's stores that broke or are breaking a service promise, most recent first. */
export async function lateBookings(m: EntityManager, staff: StaffPrincipal, now = new Date()) {
  const since = new Date(now.getTime() - 7 * DAY);
  const where = { start: MoreThan(since), status: Not("cancelled" as BookingStatus), ...(staff.storeId !== null ? { storeId: staff.storeId } : {}) };
  const views = await toBookingViews(m, await m.find(Booking, { where, order: { start: "DESC" } }), now);
  return views.filter((v) => Object.values(v.lateness).some(Boolean));
}

/** The first staff response to a booking (the 2-hour promise). */
export async function confirmBooking(m: EntityManager, staff: StaffPrincipal, bookingId: number, now = new Date()) {
  const booking = await staffBooking(m, staff, bookingId);
  await m.update(Booking, { id: booking.id, respondedAt: IsNull() }, { respondedAt: now });
  return toBookingView(m, await m.findOneByOrFail(Booking, { id: booking.id }), now);
}

/** Our driver reached the member for a pickup (the 10-minute arrival promise). */
export async function markArrived(m: EntityManager, staff: StaffPrincipal, bookingId: number, now = new Date()) {
  const booking = await staffBooking(m, staff, bookingId);
  const moved = await moveStatus(m, booking, ["booked"], "booked", { arrivedAt: booking.arrivedAt ?? now, respondedAt: booking.respondedAt ?? now });
  return toBookingView(m, moved, now);
}

/** The car is at the store: records the odometer (forward only on the asset). */
export async function checkIn(m: EntityManager, staff: StaffPrincipal, bookingId: number, mileage: number, now = new Date()) {
  const booking = await staffBooking(m, staff, bookingId);
  const asset = await m.findOneByOrFail(Asset, { id: booking.assetId });
  assertMileageForward(asset, mileage);
  const moved = await moveStatus(m, booking, ["booked"], "checked_in", { checkedInAt: now, checkInMileage: mileage, arrivedAt: booking.arrivedAt ?? now, respondedAt: booking.respondedAt ?? now });
  await m.update(Asset, { id: asset.id }, { mileage, updatedAt: now });
  return toBookingView(m, moved, now);
}

/** Assigns a technician: the one chosen, or the least loaded that day among those with every skill the visit needs. */
export async function assignTechnician(m: EntityManager, staff: StaffPrincipal, bookingId: number, technicianId?: number, now = new Date()) {
  const booking = await staffBooking(m, staff, bookingId);
  if (!["booked", "checked_in", "in_service"].includes(booking.status)) throw new AppError("BOOKING_STATUS_CONFLICT", "该预约当前状态不能分配技师", { status: booking.status });
  const technician = technicianId ? await m.findOneBy(Technician, { id: technicianId, storeId: booking.storeId, active: true }) : await leastLoaded(m, booking);
  if (!technician) throw new AppError("TECHNICIAN_UNAVAILABLE", technicianId ? "该技师不在本门店或已停用" : "没有具备所需技能的技师");
  await m.update(Booking, { id: booking.id }, { technicianId: technician.id });
  return toBookingView(m, await m.findOneByOrFail(Booking, { id: booking.id }), now);
}

async function leastLoaded(m: EntityManager, booking: Booking): Promise<Technician | null> {
  const services = await m.findBy(ServiceType, { id: In(booking.serviceIds.split(",").map(Number)) });
  const needed = services.filter((s) => s.bayKind !== null).map((s) => s.code);
  const technicians = (await m.find(Technician, { where: { storeId: booking.storeId, active: true }, order: { id: "ASC" } })).filter((t) => needed.every((code) => t.skills.split(",").includes(code)));
  if (technicians.length === 0) return null;
  const date = todayInShanghai(booking.start);
  const load = await m
    .createQueryBuilder(Booking, "b")
    .select("b.technicianId", "technicianId")
    .addSelect("COUNT(*)", "n")
    .where("b.storeId = :storeId AND b.start >= :from AND b.start < :to AND b.technicianId IS NOT NULL", { storeId: booking.storeId, from: shanghaiInstant(date, "00:00"), to: shanghaiInstant(addCalendarDays(date, 1), "00:00") })
    .andWhere("b.status NOT IN ('cancelled', 'no_show')")
    .groupBy("b.technicianId")
    .getRawMany<{ technicianId: number; n: string | number }>();
  const loadOf = (t: Technician) => Number(load.find((l) => Number(l.technicianId) === t.id)?.n ?? 0);
  return technicians.reduce((best, t) => (loadOf(t) < loadOf(best) ? t : best));
}

/** Work starts; a technician is assigned first when none is. */
export async function startService(m: EntityManager, staff: StaffPrincipal, bookingId: number, now = new Date()) {
  let booking = await staffBooking(m, staff, bookingId);
  if (booking.technicianId === null) {
    await assignTechnician(m, staff, bookingId, undefined, now);
    booking = await m.findOneByOrFail(Booking, { id: bookingId });
  }
  return toBookingView(m, await moveStatus(m, booking, ["checked_in"], "in_service", { startedAt: now }), now);
}

export async function markReady(m: EntityManager, staff: StaffPrincipal, bookingId: number, now = new Date()) {
  const booking = await staffBooking(m, staff, bookingId);
  const ready = await moveStatus(m, booking, ["in_service"], "ready_for_pickup", { readyAt: now });
  await enqueueBookingNotice(m, "ready_for_pickup", ready, now);
  return toBookingView(m, ready, now);
}

/** Marks a member who did not come; the third no-show in 90 days suspends online booking for 30 days. */
export async function markNoShow(m: EntityManager, staff: StaffPrincipal, bookingId: number, now = new Date()) {
  const booking = await staffBooking(m, staff, bookingId);
  if (booking.start > now) throw new AppError("BOOKING_NOT_STARTED", "预约时间还没到，不能标记未到店");
  const moved = await moveStatus(m, booking, ["booked"], "no_show");
  const recent = await m.countBy(Booking, { memberId: booking.memberId, status: "no_show", start: MoreThan(new Date(now.getTime() - NO_SHOW_WINDOW_DAYS * DAY)) });
  let suspendedUntil: string | null = null;
  if (recent >= NO_SHOW_LIMIT) {
    const until = new Date(now.getTime() + SUSPENSION_DAYS * DAY);
    await m.update(Member, { id: booking.memberId }, { bookingSuspendedUntil: until });
    suspendedUntil = until.toISOString();
  }
  return { ...(await toBookingView(m, moved, now)), noShowsIn90Days: recent, bookingSuspendedUntil: suspendedUntil };
}

/** The member an advisor books for: by the member code they show, or by the phone number a caller gives. */
async function memberForBooking(m: EntityManager, ref: { memberCode?: string; phone?: string }): Promise<Member> {
  if (ref.memberCode) {
    const member = await m.findOneBy(Member, { memberCode: ref.memberCode.toUpperCase() });
    if (!member) throw new AppError("NOT_FOUND", "会员码无效或已更换，请让会员刷新会员码");
    return member;
  }
  if (!ref.phone) throw new AppError("VALIDATION_FAILED", "请提供会员码或手机号", [{ in: "body", field: "memberCode", rule: "required", message: "缺少必填字段" }]);
  const members = await m.find(Member, { where: { phone: ref.phone }, take: 2 });
  if (members.length === 0) throw new AppError("NOT_FOUND", "未找到该手机号的会员，请先让客户注册会员");
  if (members.length > 1) throw new AppError("VALIDATION_FAILED", "该手机号对应多位会员，请改用会员码", [{ in: "body", field: "phone", rule: "ambiguous", message: "对应多位会员" }]);
  return members[0];
}

/**
 * An advisor books for a member (phone or walk-in) in their own store: the same slot rules, capacity
 * guards and Idempotency-Key as the member's own booking; the booking records who made it and how.
 */
export async function bookForMember(db: Database, config: Config, staff: StaffPrincipal, body: StaffBookingBody, idempotencyKey: string, now = new Date()) {
  assertStoreScope(staff, body.storeId);
  const member = await db.read((m) => memberForBooking(m, body));
  const { memberCode: _code, phone: _phone, channel, ...booking } = body;
  return createBooking(db, config, member.id, booking, idempotencyKey, now, { channel, staffId: staff.id });
}
