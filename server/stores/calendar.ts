import chineseDays from "chinese-days";
import type { EntityManager } from "typeorm";
import { StoreClosure, StoreHours, type Store } from "./stores.entity.js";

/** The UTC instant of a Shanghai wall-clock time (UTC+8 all year, no daylight saving). */
export function shanghaiInstant(date: string, time: string): Date {
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi] = time.split(":").map(Number);
  return new Date(Date.UTC(y, mo - 1, d, h - 8, mi));
}

/** Shanghai date YYYY-MM-DD plus n days. */
export function addCalendarDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/**
 * A statutory holiday (法定节假日, incl. its days off in lieu), a make-up working day (调休上班) on a
 * weekend, or an ordinary day, from the chinese-days calendar.
 */
export function dayKind(date: string): "holiday" | "makeup_workday" | "normal" {
  const detail = chineseDays.getDayDetail(date);
  const weekend = [0, 6].includes(weekdayOf(date));
  if (!detail.work && detail.name.includes(",")) return "holiday";
  if (detail.work && weekend) return "makeup_workday";
  return "normal";
}

export type OpeningWindow = { open: true; opens: Date; closes: Date } | { open: false; reason: string };

/** When a store is open on a Shanghai date: closures, then holidays, then make-up days (Monday's hours), then the weekday. */
export async function openingWindow(m: EntityManager, store: Pick<Store, "id" | "closedOnHolidays">, date: string): Promise<OpeningWindow> {
  const closure = await m.findOneBy(StoreClosure, { storeId: store.id, date });
  if (closure) return { open: false, reason: `门店休息：${closure.reason}` };
  const kind = dayKind(date);
  if (kind === "holiday" && store.closedOnHolidays) return { open: false, reason: "法定节假日门店休息" };
  const weekday = kind === "makeup_workday" ? 1 : weekdayOf(date);
  const hours = await m.findOneBy(StoreHours, { storeId: store.id, weekday });
  if (!hours) return { open: false, reason: "门店当天不营业" };
  return { open: true, opens: shanghaiInstant(date, hours.opensAt), closes: shanghaiInstant(date, hours.closesAt) };
}
