// 报表: complaint statistics and their exports (server/complaints/stats.routes.ts).
import { get, requestBlobUrl } from "./request.js";
import type { QueryOf } from "./types.js";

export type StatsQuery = QueryOf<"/api/v1/staff/complaint-stats", "get">;
interface Count {
  code: string;
  name: string;
  count: number;
}
interface Sla {
  done: number;
  onTime: number;
  late: number;
  overdue: number;
  breaches: number;
  complianceRate: number | null;
}
export interface ComplaintStats {
  period: { kind: "week" | "month"; key: string; label: string; from: string; to: string };
  total: number;
  byCategory: Count[];
  byStore: { storeId: number; name: string; count: number }[];
  bySeverity: Count[];
  byChannel: Count[];
  responseTimes: { firstResponded: number; medianFirstResponseHours: number | null; resolved: number; medianResolutionHours: number | null };
  sla: { firstResponse: Sla; resolution: Sla };
  satisfaction: { surveyed: number; average: number | null; distribution: { rating: number; count: number }[]; solvedAnswered: number; solved: number; solvedRate: number | null };
  repeat: { count: number; rate: number | null };
  compensation: { count: number; totalFen: number };
}

export const fetchComplaintStats = (query: StatsQuery) => get<ComplaintStats>("/staff/complaint-stats", query, true);
/** Downloads the CSV or xlsx export with the token (fetch → blob → a link). */
export async function downloadComplaintStats(query: StatsQuery, format: "csv" | "xlsx"): Promise<void> {
  const params = new URLSearchParams({ period: query.period, date: query.date, ...(query.storeId ? { storeId: String(query.storeId) } : {}) });
  const url = await requestBlobUrl(`/staff/complaint-stats/export.${format}?${params}`);
  const link = document.createElement("a");
  link.href = url;
  link.download = `投诉统计-${query.period === "week" ? "周报" : "月报"}-${query.date}.${format}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
