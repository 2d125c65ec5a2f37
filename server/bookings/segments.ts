import type { EntityManager } from "typeorm";
import { ensureRow, type Database } from "../db/database.js";
import { affectedOf } from "../db/errors.js";
import { AppError } from "../http/app-error.js";
import { formatShanghai } from "../http/time.js";
import { SlotUsage } from "./bookings.entity.js";

interface Place {
  storeId: number;
  bayKind: string;
}

/** Creates the usage rows of these segments (outside the booking transaction, see ensureRow). */
export async function prepareSegments(db: Database, place: Place, segments: Date[]): Promise<void> {
  for (const slotStart of segments) await ensureRow(db, SlotUsage, { ...place, slotStart }, { ...place, slotStart, booked: 0 });
}

async function take(m: EntityManager, place: Place, slotStart: Date, capacity: number) {
  const taken = await m
    .createQueryBuilder()
    .update(SlotUsage)
    .set({ booked: () => "booked + 1" })
    .where("storeId = :storeId AND bayKind = :bayKind AND slotStart = :slotStart AND booked < :capacity", { ...place, slotStart, capacity })
    .execute();
  if (affectedOf(taken) === 0) throw new AppError("SLOT_FULL", `${formatShanghai(slotStart)} 已约满，请选择其他时间`, { slotStart: slotStart.toISOString() });
}

async function release(m: EntityManager, place: Place, slotStart: Date) {
  await m
    .createQueryBuilder()
    .update(SlotUsage)
    .set({ booked: () => "booked - 1" })
    .where("storeId = :storeId AND bayKind = :bayKind AND slotStart = :slotStart AND booked > 0", { ...place, slotStart })
    .execute();
}

/**
 * Moves a booking's hold from one set of segments to another in the caller's transaction: every
 * segment is visited in time order (so concurrent bookings lock in the same order), newly needed ones
 * are taken by a guarded update (booked < bays), no longer needed ones released. Either all moves
 * happen or the transaction rolls back with SLOT_FULL.
 */
export async function moveSegments(m: EntityManager, place: Place, from: Date[], to: Date[], capacity: number): Promise<void> {
  const had = new Set(from.map((d) => d.getTime()));
  const needs = new Set(to.map((d) => d.getTime()));
  for (const t of [...new Set([...had, ...needs])].sort((a, b) => a - b)) {
    if (needs.has(t) && !had.has(t)) await take(m, place, new Date(t), capacity);
    if (had.has(t) && !needs.has(t)) await release(m, place, new Date(t));
  }
}
