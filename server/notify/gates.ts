import type { EntityManager } from "typeorm";
import type { NotifyConfig } from "../config.js";
import { execute, updateElseInsert } from "../db/sql.js";
import { todayInShanghai } from "../http/time.js";
import { addCalendarDays, shanghaiInstant } from "../stores/calendar.js";
import { MemberPreference } from "./notify.entity.js";

const hourInShanghai = (now: Date) => (now.getUTCHours() + 8) % 24;

/** Marketing waits during quiet hours (21:00–08:00 Shanghai by default); returns when it may go, or null now. */
export function quietUntil(config: NotifyConfig, now: Date): Date | null {
  const [from, to] = config.quietHours;
  const hour = hourInShanghai(now);
  const quiet = from > to ? hour >= from || hour < to : hour >= from && hour < to;
  if (!quiet) return null;
  const today = todayInShanghai(now);
  const day = hour >= to && from > to ? addCalendarDays(today, 1) : today;
  return shanghaiInstant(day, `${String(to).padStart(2, "0")}:00`);
}

/** The Monday (Shanghai) of the week an instant falls in: the weekly cap's period. */
export function weekOf(now: Date): string {
  const today = todayInShanghai(now);
  const weekday = (new Date(`${today}T00:00:00Z`).getUTCDay() + 6) % 7;
  return addCalendarDays(today, -weekday);
}

export async function optedOut(m: EntityManager, memberId: number): Promise<boolean> {
  return (await m.findOneBy(MemberPreference, { memberId }))?.marketingOptOut ?? false;
}

/** Takes one of the member's marketing places this week (guarded: two racing sends cannot both take the last). */
export async function takeWeeklyPlace(m: EntityManager, config: NotifyConfig, memberId: number, now: Date): Promise<boolean> {
  const week = weekOf(now);
  if (config.marketingWeeklyCap < 1) return false;
  return updateElseInsert(m, "UPDATE marketing_week SET sent = sent + 1 WHERE memberId = ? AND week = ? AND sent < ?", [memberId, week, config.marketingWeeklyCap], "marketing_week", { memberId, week, sent: 1 });
}

/** Gives a place back when the message could not be delivered after all. */
export async function returnWeeklyPlace(m: EntityManager, memberId: number, now: Date): Promise<void> {
  await execute(m, "UPDATE marketing_week SET sent = sent - 1 WHERE memberId = ? AND week = ? AND sent > 0", [memberId, weekOf(now)]);
}
