/** Times are stored and sent in UTC; people read them in Asia/Shanghai. */
export const DISPLAY_TIME_ZONE = "Asia/Shanghai";

const dateTimeFormat = new Intl.DateTimeFormat("zh-CN", {
  timeZone: DISPLAY_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "2026-11-22 19:45" in Shanghai time, for Chinese messages. */
export function formatShanghai(date: Date): string {
  const parts = Object.fromEntries(dateTimeFormat.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

/** Today's calendar date (YYYY-MM-DD) in Shanghai. */
export function todayInShanghai(now = new Date()): string {
  return formatShanghai(now).slice(0, 10);
}

/** The same instant n calendar months later (day clamped to the month's end). */
export function addMonths(date: Date, months: number): Date {
  const result = new Date(date);
  const day = result.getUTCDate();
  result.setUTCDate(1);
  result.setUTCMonth(result.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
  result.setUTCDate(Math.min(day, lastDay));
  return result;
}

export const addDays = (date: Date, days: number) => new Date(date.getTime() + days * 86_400_000);

/** "2026-11" (month) or "2026" (year) of an instant in Shanghai: the period a counted benefit resets on. */
export function periodKeyOf(period: "month" | "year", now = new Date()): string {
  const today = todayInShanghai(now);
  return period === "month" ? today.slice(0, 7) : today.slice(0, 4);
}

/** The first instant of the next month or year in Shanghai (UTC+8, no daylight saving). */
export function periodEndOf(period: "month" | "year", now = new Date()): Date {
  const [year, month] = todayInShanghai(now).split("-").map(Number);
  const start = period === "month" ? Date.UTC(year, month, 1) : Date.UTC(year + 1, 0, 1);
  return new Date(start - 8 * 3600_000);
}
