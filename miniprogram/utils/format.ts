const CHINA_OFFSET_MS = 8 * 3600_000; // Asia/Shanghai has no daylight saving

/** YYYY-MM-DD of an ISO instant in China time, for display. */
export function shanghaiDate(iso: string): string {
  return new Date(Date.parse(iso) + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** "YYYY-MM-DD HH:mm" of an ISO instant in China time. */
export function shanghaiDateTime(iso: string): string {
  return new Date(Date.parse(iso) + CHINA_OFFSET_MS).toISOString().slice(0, 16).replace("T", " ");
}

/** Today's YYYY-MM-DD in China time. */
export function shanghaiToday(now = Date.now()): string {
  return new Date(now + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** fen → "¥12.50"; money stays in fen everywhere else. */
export function yuan(fen: number): string {
  const sign = fen < 0 ? "-" : "";
  return `${sign}¥${(Math.abs(fen) / 100).toFixed(2)}`;
}

/** A query string from defined values, for page paths. */
export function queryOf(params: Record<string, string | number | null | undefined>): string {
  const pairs = Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== "");
  return pairs.map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`).join("&");
}
