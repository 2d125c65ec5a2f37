/** YYYY-MM-DD of an ISO instant in Shanghai (UTC+8), for display. */
export function shanghaiDate(iso: string): string {
  return new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);
}

/** fen → "¥12.50"; money stays in fen everywhere else. */
export function yuan(fen: number): string {
  return `¥${(fen / 100).toFixed(2)}`;
}
