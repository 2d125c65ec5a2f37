import { Between, type EntityManager } from "typeorm";
import type { Config } from "../config.js";
import { AppError } from "../http/app-error.js";
import { todayInShanghai } from "../http/time.js";
import { requireActiveStore } from "../members/members.service.js";
import { addCalendarDays, openingWindow } from "../stores/calendar.js";
import { SlotUsage } from "./bookings.entity.js";
import { SLOT_MINUTES, bayCount, planVisit, segmentsOf } from "./visit.js";

/** Refuses a date outside today … today + horizon (Shanghai). */
export function checkHorizon(config: Config, date: string, now: Date): void {
  const today = todayInShanghai(now);
  const last = addCalendarDays(today, config.booking.horizonDays);
  if (date < today || date > last) throw new AppError("BOOKING_OUT_OF_HORIZON", `只能预约今天至 ${last} 之间的时间`, { from: today, to: last });
}

/** Booked count per segment start (ms) for one store, bay kind and time range. */
export async function usageBetween(m: EntityManager, storeId: number, bayKind: string, from: Date, to: Date): Promise<Map<number, number>> {
  const rows = await m.findBy(SlotUsage, { storeId, bayKind, slotStart: Between(from, to) });
  return new Map(rows.map((r) => [r.slotStart.getTime(), r.booked]));
}

/** Free start times for one visit of these services on a Shanghai date, with how many bays are left at each. */
export async function freeSlots(m: EntityManager, config: Config, storeId: number, date: string, serviceIds: number[], now = new Date()) {
  checkHorizon(config, date, now);
  const store = await requireActiveStore(m, storeId);
  const visit = await planVisit(m, serviceIds);
  const base = { storeId, date, durationMinutes: visit.durationMinutes, bayKind: visit.bayKind };
  const window = await openingWindow(m, store, date);
  if (!window.open) return { ...base, closedReason: window.reason, slots: [] };
  const capacity = await bayCount(m, storeId, visit.bayKind);
  const usage = await usageBetween(m, storeId, visit.bayKind, window.opens, window.closes);
  const earliest = now.getTime() + config.booking.minNoticeMinutes * 60_000;
  const slots = [];
  for (let t = window.opens.getTime(); t + visit.durationMinutes * 60_000 <= window.closes.getTime(); t += SLOT_MINUTES * 60_000) {
    if (t < earliest) continue;
    const available = Math.min(...segmentsOf(new Date(t), visit.durationMinutes).map((s) => capacity - (usage.get(s.getTime()) ?? 0)));
    if (available > 0) slots.push({ start: new Date(t).toISOString(), end: new Date(t + visit.durationMinutes * 60_000).toISOString(), available });
  }
  return { ...base, closedReason: null, slots };
}
