import type { EntityManager } from "typeorm";
import { notFound } from "../http/app-error.js";
import type { Store } from "./stores.entity.js";

export type ScheduleStore = Pick<Store, "id" | "closedOnHolidays">;

/**
 * Takes a store's row lock for the rest of the caller's transaction, so a booking and a change of the
 * store's hours or closures cannot pass each other: bookings take it in share mode (they do not wait
 * for one another), a change of hours or a closure for update (it waits for bookings in flight, and
 * bookings wait for it, then read the new hours). SQLite runs one transaction at a time and needs none.
 * On a Galera cluster the lock holds only on its own node (Galera certifies written rows, not locks).
 */
export async function lockStoreSchedule(m: EntityManager, storeId: number, mode: "share" | "update"): Promise<ScheduleStore> {
  const lock = m.connection.options.type === "better-sqlite3" ? "" : mode === "share" ? " LOCK IN SHARE MODE" : " FOR UPDATE";
  const [row] = (await m.query(`SELECT id, closedOnHolidays FROM store WHERE id = ?${lock}`, [storeId])) as { id: number; closedOnHolidays: number | boolean }[];
  if (!row) throw notFound("门店");
  return { id: Number(row.id), closedOnHolidays: Boolean(row.closedOnHolidays) };
}
