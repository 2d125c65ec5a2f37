/** Dates and lists as the bot writes them, in Shanghai time. */

const dayFormat = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" });
const timeFormat = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", month: "numeric", day: "numeric", weekday: "short", hour: "2-digit", minute: "2-digit", hour12: false });

function parts(format: Intl.DateTimeFormat, iso: string): Record<string, string> {
  return Object.fromEntries(format.formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
}

/** "2026-12-31" for an ISO instant or a date (a plain date is taken as is). */
export function formatDay(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value;
  const p = parts(dayFormat, value);
  return `${p.year}-${p.month}-${p.day}`;
}

/** "12月5日 周六 09:30" */
export function formatTime(iso: string): string {
  const p = parts(timeFormat, iso);
  return `${p.month}月${p.day}日 ${p.weekday} ${p.hour}:${p.minute}`;
}

/** a list cut to `max` lines, saying how many more the mini-program shows */
export function capped(lines: string[], max: number, more: string): string[] {
  return lines.length > max ? [...lines.slice(0, max), more.replace("{n}", String(lines.length - max))] : lines;
}
