import type { EntityManager } from "typeorm";
import type { Database } from "../db/database.js";
import { execute, sqlDate } from "../db/sql.js";
import { notFound } from "../http/app-error.js";
import { todayInShanghai } from "../http/time.js";
import { addCalendarDays, shanghaiInstant } from "./calendar.js";
import { StoreHours, type BayKind, type Store } from "./stores.entity.js";

export type ScheduleStore = Pick<Store, "id" | "closedOnHolidays">;

// A booking and a change of a store's hours or closures must not pass each other: either the booking
// sees the change and is refused, or the change sees the booking among those it affects. Both sides
// write the day's slot usage rows before they read the hours or the bookings: a booking takes its
// places, a change writes every usage row of the days it changes (+1, then −1: a real write, that
// leaves the counts as they were). On one server the row locks order them; on a Galera cluster, where
// row locks hold only on their own node and certification looks at written rows only (a FOR UPDATE
// or LOCK IN SHARE MODE read would not do), the one certified second is aborted, or brute-force
// aborted while it still runs, and runs again, then seeing the other. Bookings still conflict only
// with bookings of the same places.

const BAY_KINDS: BayKind[] = ["lift", "inspection"];
const SLOT_MS = 30 * 60_000;
const INSERT_BATCH = 500;

const dayStart = (date: string) => shanghaiInstant(date, "00:00");
const sortedDays = (dates: string[]) => [...new Set(dates)].sort();

/**
 * Makes the usage row of every place a booking could hold on these days exist (each half-hour of the
 * store's widest weekly hours, each bay kind), before a change's transaction writes them all: a
 * booking in flight was checked against the hours before the change, so its places lie among them,
 * and a row made later would not be in the change's writes.
 */
export async function prepareScheduleDays(db: Database, storeId: number, dates: string[]): Promise<void> {
  const hours = await db.read((m) => m.findBy(StoreHours, { storeId }));
  if (hours.length === 0) return; // never open: no booking can hold anything
  const opens = hours.map((h) => h.opensAt).sort()[0];
  const closes = hours.map((h) => h.closesAt).sort().at(-1)!;
  const slots = sortedDays(dates).flatMap((date) => {
    const out: Date[] = [];
    for (let t = shanghaiInstant(date, opens).getTime(); t < shanghaiInstant(date, closes).getTime(); t += SLOT_MS) out.push(new Date(t));
    return out;
  });
  const rows = slots.flatMap((slotStart) => BAY_KINDS.map((bayKind) => ({ bayKind, slotStart })));
  for (let i = 0; i < rows.length; i += INSERT_BATCH) {
    const batch = rows.slice(i, i + INSERT_BATCH);
    await db.tx((m) => {
      const verb = m.connection.options.type === "better-sqlite3" ? "INSERT OR IGNORE" : "INSERT IGNORE";
      return m.query(`${verb} INTO slot_usage (storeId, bayKind, slotStart, booked) VALUES ${batch.map(() => "(?, ?, ?, 0)").join(", ")}`, batch.flatMap((r) => [storeId, r.bayKind, sqlDate(m, r.slotStart)]));
    });
  }
}

/**
 * Holds the schedule of these days for the rest of the caller's transaction (a change of hours or
 * closures): writes every usage row of the store from the first day's start to the last day's end,
 * made ready by prepareScheduleDays, before anything about the bookings is read.
 */
export async function holdScheduleDays(m: EntityManager, storeId: number, dates: string[]): Promise<void> {
  const days = sortedDays(dates);
  // bay kind named, so the unique index (storeId, bayKind, slotStart) serves the range, and rows lock in its order as bookings take them
  const where = `storeId = ? AND bayKind IN (${BAY_KINDS.map(() => "?").join(", ")}) AND slotStart >= ? AND slotStart < ?`;
  const params = [storeId, ...BAY_KINDS, sqlDate(m, dayStart(days[0])), sqlDate(m, dayStart(addCalendarDays(days.at(-1)!, 1)))];
  await execute(m, `UPDATE slot_usage SET booked = booked + 1 WHERE ${where}`, params);
  await execute(m, `UPDATE slot_usage SET booked = booked - 1 WHERE ${where}`, params);
}

/** The store as its schedule needs it, read in the caller's transaction. */
export async function readScheduleStore(m: EntityManager, storeId: number): Promise<ScheduleStore> {
  const [row] = (await m.query("SELECT id, closedOnHolidays FROM store WHERE id = ?", [storeId])) as { id: number; closedOnHolidays: number | boolean }[];
  if (!row) throw notFound("门店");
  return { id: Number(row.id), closedOnHolidays: Boolean(row.closedOnHolidays) };
}

/** Every date a booking may be made for from now on (today … today + horizon, and the next day for a date that turns meanwhile). */
export function bookableDates(horizonDays: number, now = new Date()): string[] {
  const today = todayInShanghai(now);
  return Array.from({ length: horizonDays + 2 }, (_, i) => addCalendarDays(today, i));
}
