import cron from "node-cron";
import { todayInShanghai } from "../http/time.js";
import { addCalendarDays, shanghaiInstant } from "../stores/calendar.js";

const FULL_DOM = 31;
const FULL_DOW = 7;

/**
 * The latest instant at or before `now` at which a 5-field cron expression fires in Asia/Shanghai, looking
 * back at most `days` days; null when it does not fire in that window. Walks days, then hours and minutes
 * of the day, so a monthly job costs a few dozen checks, not a minute-by-minute scan.
 */
export function previousFiring(expression: string, now: Date, days = 400): Date | null {
  const fields = cron.parse(expression);
  const minutes = [...fields.minute].map(Number).sort((a, b) => b - a);
  const hours = [...fields.hour].map(Number).sort((a, b) => b - a);
  const dom = new Set(fields.dayOfMonth.map(Number));
  const dow = new Set(fields.dayOfWeek.map((d) => Number(d) % 7));
  const month = new Set(fields.month.map(Number));
  // cron's rule: when both day fields are restricted, either one matching is enough
  const domRestricted = dom.size < FULL_DOM;
  const dowRestricted = dow.size < FULL_DOW;
  const today = todayInShanghai(now);
  for (let back = 0; back <= days; back++) {
    const date = addCalendarDays(today, -back);
    const [, mo, d] = date.split("-").map(Number);
    if (!month.has(mo)) continue;
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const dayMatches = domRestricted && dowRestricted ? dom.has(d) || dow.has(weekday) : dom.has(d) && dow.has(weekday);
    if (!dayMatches) continue;
    for (const h of hours) {
      for (const mi of minutes) {
        const at = shanghaiInstant(date, `${String(h).padStart(2, "0")}:${String(mi).padStart(2, "0")}`);
        if (at.getTime() <= now.getTime()) return at;
      }
    }
  }
  return null;
}

/** The minute an instant falls in (a firing's identity: node-cron may call a few ms late). */
export const minuteOf = (at: Date) => new Date(Math.floor(at.getTime() / 60_000) * 60_000);
