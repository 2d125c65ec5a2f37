import type { DataSource, EntityManager } from "typeorm";
import type { Database } from "../db/database.js";
import { execute } from "../db/sql.js";
import { ensureLockTable } from "../db/startup-lock.js";
import { notFound } from "../http/app-error.js";
import { todayInShanghai } from "../http/time.js";
import { addCalendarDays } from "./calendar.js";
import type { Store } from "./stores.entity.js";

export type ScheduleStore = Pick<Store, "id" | "closedOnHolidays">;

// A booking and a change of a store's hours or closures must not pass each other: either the booking
// sees the change and is refused, or the change sees the booking among those it affects. Each side
// first *writes* the schedule row of every store-day it depends on (a counter in app_lock, the
// table of cross-node lock rows), then reads. On one server the row lock orders them; on a Galera
// cluster, where row locks hold only on their own node, the written row is in both write sets, so
// the one certified second is aborted (or brute-force aborted while it still runs) and runs again,
// then seeing the other. A read lock (FOR UPDATE, LOCK IN SHARE MODE) would not do there: Galera
// certifies written rows only. Bookings of one store-day thus go one after another; other days do not wait.

const OWNER = "store-schedule";
const nameOf = (storeId: number, date: string) => `schedule:${storeId}:${date}`;
const namesOf = (storeId: number, dates: string[]) => [...new Set(dates)].sort().map((date) => nameOf(storeId, date));
const list = (names: string[]) => names.map(() => "?").join(", ");
const insertVerb = (type: string) => (type === "better-sqlite3" ? "INSERT OR IGNORE" : "INSERT IGNORE");

/** The lock table is made at start-up (migrate); a database migrated without it (tests) gets it on first use. */
const tableReady = new WeakSet<DataSource>();

/** Makes sure the lock table exists (outside any transaction: DDL would commit it). */
export async function readyScheduleTable(db: Database): Promise<void> {
  if (tableReady.has(db.dataSource)) return;
  await ensureLockTable(db.dataSource);
  tableReady.add(db.dataSource);
}

/**
 * Makes the schedule rows of these store-days exist before a booking's transaction holds them: in a
 * transaction of their own, as an INSERT IGNORE among parallel bookings would take a shared lock
 * first and twins upgrading it deadlock (see ensureRow).
 */
export async function prepareStoreDays(db: Database, storeId: number, dates: string[]): Promise<void> {
  await readyScheduleTable(db);
  const names = namesOf(storeId, dates);
  const found = (await db.read((m) => m.query(`SELECT name FROM app_lock WHERE name IN (${list(names)})`, names))) as { name: string }[];
  const missing = names.filter((name) => !found.some((row) => row.name === name));
  if (missing.length === 0) return;
  await db.tx((m) => m.query(`${insertVerb(db.dataSource.options.type)} INTO app_lock (name, owner, expiresAt) VALUES ${missing.map(() => "(?, ?, 0)").join(", ")}`, missing.flatMap((name) => [name, OWNER])));
}

/**
 * Holds the schedule of these store-days for the rest of the caller's transaction: one guarded write
 * of their rows (in name order, so holders cannot deadlock), made before anything about the store's
 * hours is read. Rows not made yet are inserted here (a change of hours or closures, rare, needs no
 * preparing; its rows go back with it if it fails). Returns the store as its schedule needs it.
 */
export async function holdStoreDays(m: EntityManager, storeId: number, dates: string[]): Promise<ScheduleStore> {
  const names = namesOf(storeId, dates);
  const bump = () => execute(m, `UPDATE app_lock SET expiresAt = expiresAt + 1 WHERE name IN (${list(names)})`, names);
  if ((await bump()) !== names.length) {
    await m.query(`${insertVerb(m.connection.options.type)} INTO app_lock (name, owner, expiresAt) VALUES ${names.map(() => "(?, ?, 0)").join(", ")}`, names.flatMap((name) => [name, OWNER]));
    if ((await bump()) !== names.length) throw new Error(`store ${storeId}: schedule rows missing after insert`);
  }
  const [row] = (await m.query("SELECT id, closedOnHolidays FROM store WHERE id = ?", [storeId])) as { id: number; closedOnHolidays: number | boolean }[];
  if (!row) throw notFound("门店");
  return { id: Number(row.id), closedOnHolidays: Boolean(row.closedOnHolidays) };
}

/** Every date a booking may be made for from now on (today … today + horizon, and the next day for a date that turns meanwhile). */
export function bookableDates(horizonDays: number, now = new Date()): string[] {
  const today = todayInShanghai(now);
  return Array.from({ length: horizonDays + 2 }, (_, i) => addCalendarDays(today, i));
}
