import { In, MoreThanOrEqual, type EntityManager } from "typeorm";
import { recordAudit } from "../audit/audit.service.js";
import { affectedOf, uniqueViolationOf } from "../db/errors.js";
import { AppError, notFound } from "../http/app-error.js";
import { assertStoreScope } from "../http/auth.js";
import type { StaffPrincipal } from "../http/context.js";
import { todayInShanghai } from "../http/time.js";
import { settleAffectedBookings } from "../bookings/store-changes.js";
import type { Database } from "../db/database.js";
import type { Config } from "../config.js";
import { previewChange } from "./store-preview.js";
import { bookableDates, holdScheduleDays, prepareScheduleDays } from "./store-lock.js";
import { ServiceBay, ServiceType, Store, StoreClosure, StoreHours, Technician } from "./stores.entity.js";
import type { BayBody, ClosureBody, ClosurePreviewBody, HoursBody, TechnicianBody } from "./store-setup.schema.js";

async function scopedStore(m: EntityManager, staff: StaffPrincipal, storeId: number): Promise<Store> {
  const store = await m.findOneBy(Store, { id: storeId });
  if (!store) throw notFound("门店");
  assertStoreScope(staff, storeId);
  return store;
}

const audit = (m: EntityManager, staff: StaffPrincipal, storeId: number, action: string, detail: object) =>
  recordAudit(m, { actorType: "staff", actorId: staff.id, action, targetType: "store", targetId: storeId, detail: { ...detail } });

/** Everything that decides a store's slots: hours, holiday rule, upcoming closures, bays and technicians. */
export async function storeSetup(m: EntityManager, staff: StaffPrincipal, storeId: number) {
  const store = await scopedStore(m, staff, storeId);
  const [hours, closures, bays, technicians] = await Promise.all([
    m.find(StoreHours, { where: { storeId }, order: { weekday: "ASC" } }),
    m.find(StoreClosure, { where: { storeId, date: MoreThanOrEqual(todayInShanghai()) }, order: { date: "ASC" } }),
    m.find(ServiceBay, { where: { storeId }, order: { id: "ASC" } }),
    m.find(Technician, { where: { storeId }, order: { id: "ASC" } }),
  ]);
  return {
    storeId,
    closedOnHolidays: store.closedOnHolidays,
    week: hours.map(({ weekday, opensAt, closesAt }) => ({ weekday, opensAt, closesAt })),
    closures: closures.map(({ date, reason }) => ({ date, reason })),
    bays: bays.map(({ id, kind, name, active }) => ({ id, kind, name, active })),
    technicians: technicians.map(({ id, name, skills, active }) => ({ id, name, skills: skills.split(","), active })),
  };
}

/**
 * Runs a change of the store's schedule in one transaction that first holds the days it changes
 * (holdScheduleDays: bookings in flight on them finish first or see the change), once the store is
 * known to be in the caller's scope and the rows to hold are ready.
 */
async function changeSchedule<T>(db: Database, staff: StaffPrincipal, storeId: number, dates: string[], change: (m: EntityManager) => Promise<T>): Promise<T> {
  await db.read((m) => scopedStore(m, staff, storeId));
  await prepareScheduleDays(db, storeId, dates);
  return db.tx(async (m) => {
    await holdScheduleDays(m, storeId, dates);
    return change(m);
  });
}

/** Writes the weekly opening hours (a weekday left out is closed). */
async function writeHours(m: EntityManager, staff: StaffPrincipal, storeId: number, body: HoursBody): Promise<void> {
  await scopedStore(m, staff, storeId);
  const weekdays = body.week.map((d) => d.weekday);
  if (new Set(weekdays).size !== weekdays.length) throw new AppError("VALIDATION_FAILED", "同一天只能设置一次营业时间", [{ in: "body", field: "week", rule: "unique", message: "星期重复" }]);
  if (body.week.some((d) => d.closesAt <= d.opensAt)) throw new AppError("VALIDATION_FAILED", "打烊时间必须晚于开门时间", [{ in: "body", field: "week", rule: "order", message: "时间顺序不正确" }]);
  await m.delete(StoreHours, { storeId });
  if (body.week.length) await m.insert(StoreHours, body.week.map((d) => ({ weekday: d.weekday, opensAt: d.opensAt, closesAt: d.closesAt, storeId })));
  if (body.closedOnHolidays !== undefined) await m.update(Store, { id: storeId }, { closedOnHolidays: body.closedOnHolidays });
}

/** Writes a closure of one date (or its new reason). */
async function writeClosure(m: EntityManager, staff: StaffPrincipal, storeId: number, body: ClosureBody): Promise<void> {
  await scopedStore(m, staff, storeId);
  const closure = { storeId, date: body.date };
  if (await m.existsBy(StoreClosure, closure)) await m.update(StoreClosure, closure, { reason: body.reason });
  // two managers closing the same day at once: the unique index decides, the second one updates the reason
  else await m.insert(StoreClosure, { ...closure, reason: body.reason }).catch(async (err) => {
    if (uniqueViolationOf(err) === null) throw err;
    await m.update(StoreClosure, closure, { reason: body.reason });
  });
}

/** Replaces the weekly opening hours; bookings left outside them refuse the change unless the manager has the store cancel them. */
export async function setHours(db: Database, config: Config, staff: StaffPrincipal, storeId: number, body: HoursBody) {
  return changeSchedule(db, staff, storeId, bookableDates(config.booking.horizonDays), async (m) => {
    await writeHours(m, staff, storeId, body);
    const cancelledBookings = await settleAffectedBookings(m, storeId, body);
    await audit(m, staff, storeId, "store.hours.set", { ...body, cancelledBookings: cancelledBookings.map((b) => b.bookingNo) });
    return { ...(await storeSetup(m, staff, storeId)), cancelledBookings };
  });
}

/** Closes the store on one date; bookings on it refuse the change unless the manager has the store cancel them. */
export async function addClosure(db: Database, staff: StaffPrincipal, storeId: number, body: ClosureBody) {
  return changeSchedule(db, staff, storeId, [body.date], async (m) => {
    await writeClosure(m, staff, storeId, body);
    const cancelledBookings = await settleAffectedBookings(m, storeId, body);
    await audit(m, staff, storeId, "store.closure.added", { ...body, cancelledBookings: cancelledBookings.map((b) => b.bookingNo) });
    return { ...(await storeSetup(m, staff, storeId)), cancelledBookings };
  });
}

/** The bookings new hours would leave outside them, without changing anything. */
export const previewHours = (db: Database, staff: StaffPrincipal, storeId: number, body: HoursBody) => previewChange(db, storeId, (m) => writeHours(m, staff, storeId, body));

/** The bookings a closure would affect, without changing anything. */
export const previewClosure = (db: Database, staff: StaffPrincipal, storeId: number, body: ClosurePreviewBody) =>
  previewChange(db, storeId, (m) => writeClosure(m, staff, storeId, { date: body.date, reason: body.reason ?? "预览" }));

export async function removeClosure(m: EntityManager, staff: StaffPrincipal, storeId: number, date: string) {
  await scopedStore(m, staff, storeId);
  if (affectedOf(await m.delete(StoreClosure, { storeId, date })) === 0) throw notFound("休息日");
  await audit(m, staff, storeId, "store.closure.removed", { date });
  return storeSetup(m, staff, storeId);
}

export async function addTechnician(m: EntityManager, staff: StaffPrincipal, storeId: number, body: TechnicianBody) {
  await scopedStore(m, staff, storeId);
  const known = await m.countBy(ServiceType, { code: In(body.skills) });
  if (known !== body.skills.length) throw new AppError("SERVICE_UNKNOWN", "技能中有不存在的服务项目");
  await m.insert(Technician, { storeId, name: body.name, skills: body.skills.join(","), active: true });
  await audit(m, staff, storeId, "store.technician.added", body);
  return storeSetup(m, staff, storeId);
}

export async function addBay(m: EntityManager, staff: StaffPrincipal, storeId: number, body: BayBody) {
  await scopedStore(m, staff, storeId);
  await m.insert(ServiceBay, { storeId, ...body, active: true });
  await audit(m, staff, storeId, "store.bay.added", body);
  return storeSetup(m, staff, storeId);
}

/** Takes a technician or bay out of (or back into) service; bays out of service lower capacity at once. */
export async function setActive(m: EntityManager, staff: StaffPrincipal, storeId: number, what: "technician" | "bay", id: number, active: boolean) {
  await scopedStore(m, staff, storeId);
  const entity = what === "bay" ? ServiceBay : Technician;
  if (affectedOf(await m.update(entity, { id, storeId }, { active })) === 0) throw notFound(what === "bay" ? "工位" : "技师");
  await audit(m, staff, storeId, `store.${what}.${active ? "activated" : "deactivated"}`, { id });
  return storeSetup(m, staff, storeId);
}
