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
