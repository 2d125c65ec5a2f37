// 报表: complaint statistics (server/complaints/stats.routes.ts) and the operations reports (server/reports/), with their exports.
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
/** Fetches an export with the token and saves it under a Chinese name (fetch → blob → a link). */
async function saveExport(path: string, query: object, fileName: string): Promise<void> {
  const params = new URLSearchParams(Object.entries(query).flatMap(([k, v]) => (v === undefined || v === null || v === "" ? [] : [[k, String(v)]])));
  const url = await requestBlobUrl(`${path}?${params}`);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
const periodWord = (query: { period?: "week" | "month" }) => (query.period === "week" ? "周报" : "月报");

/** Downloads the CSV or xlsx export of the complaint statistics. */
export const downloadComplaintStats = (query: StatsQuery, format: "csv" | "xlsx") =>
  saveExport(`/staff/complaint-stats/export.${format}`, query, `投诉统计-${periodWord(query)}-${query.date}.${format}`);

// 预约, 积分, 会员等级 (server/reports/).
export type ReportQuery = QueryOf<"/api/v1/staff/reports/bookings", "get">;
export type TiersQuery = QueryOf<"/api/v1/staff/reports/tiers", "get">;
interface ReportPeriod {
  kind: "week" | "month";
  key: string;
  label: string;
  from: string;
  to: string;
}
export type BookingBucket = "booked" | "checked_in" | "in_service" | "ready_for_pickup" | "completed" | "no_show" | "cancelled_member" | "cancelled_store";
interface BookingFigures {
  counts: Record<BookingBucket, number>;
  total: number;
  due: number;
  noShows: number;
  noShowRate: number | null;
}
export interface BookingsReport extends BookingFigures {
  period: ReportPeriod;
  storeId: number | null;
  statuses: { code: BookingBucket; name: string }[];
  days: (BookingFigures & { date: string; label: string })[];
  byService: { serviceId: number; name: string; count: number }[];
}
export type PointsFlow = "issued" | "spent" | "expired" | "takenBack";
interface PointsFlows {
  issued: number;
  spent: number;
  expired: number;
  takenBack: number;
  net: number;
}
export interface PointsReport extends PointsFlows {
  period: ReportPeriod;
  storeId: number | null;
  bySource: { code: string; name: string; flow: PointsFlow; points: number; entries: number }[];
  days: (PointsFlows & { date: string; label: string; bySource: Record<string, number> })[];
}
export interface TiersReport {
  storeId: number | null;
  total: number;
  period: ReportPeriod | null;
  newMembers: number | null;
  tiers: { code: string; name: string; count: number; share: number | null; newMembers: number | null }[];
}

export const fetchBookingsReport = (query: ReportQuery) => get<BookingsReport>("/staff/reports/bookings", query, true);
export const fetchPointsReport = (query: ReportQuery) => get<PointsReport>("/staff/reports/points", query, true);
export const fetchTiersReport = (query: TiersQuery) => get<TiersReport>("/staff/reports/tiers", query, true);

const REPORT_NAMES = { bookings: "预约报表", points: "积分报表", tiers: "会员等级" } as const;
export type ReportKind = keyof typeof REPORT_NAMES;
/** Downloads a report's CSV (its first sheet) or xlsx export. */
export const downloadReport = (kind: ReportKind, query: ReportQuery, format: "csv" | "xlsx") =>
  saveExport(`/staff/reports/${kind}/export.${format}`, query, `${REPORT_NAMES[kind]}-${periodWord(query)}-${query.date}.${format}`);
