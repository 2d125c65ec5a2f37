/** Fen (integer) to a yuan string for display. */
export function yuan(fen: number | null | undefined): string {
  return fen == null ? "—" : `¥${(fen / 100).toFixed(2)}`;
}

const CHINA = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hour12: false });

/** An ISO instant as China time, e.g. 2026/12/02 15:04. */
export function chinaTime(iso: string | null | undefined): string {
  return iso ? CHINA.format(new Date(iso)) : "—";
}

/** Today's date in China (YYYY-MM-DD). */
export function chinaToday(now = new Date()): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(now);
}

/** "还剩 3 小时 20 分" / "已超时 1 小时 5 分" until an ISO instant. */
export function countdown(dueAt: string, now = Date.now()): { text: string; overdue: boolean } {
  const ms = new Date(dueAt).getTime() - now;
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const span = `${d ? `${d} 天 ` : ""}${h ? `${h} 小时 ` : ""}${m} 分`;
  return ms >= 0 ? { text: `还剩 ${span}`, overdue: false } : { text: `已超时 ${span}`, overdue: true };
}
