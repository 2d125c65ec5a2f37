import { get } from "./request.js";
import type { Page, QueryOf } from "./types.js";

export type MemberQuery = QueryOf<"/api/v1/staff/members", "get">;

export interface MemberSummary {
  id: number;
  nickname: string | null;
  phone: string | null;
  memberCode: string;
  storeId: number;
  assetCount: number;
}

export interface Asset {
  id: number;
  plate: string | null;
  model: string | null;
  vinLast6: string | null;
  mileage: number | null;
  archiveNo: string;
  nextDueDate: string | null;
  nextDueMileage: number | null;
}

export interface MemberArchive extends MemberSummary {
  birthday: string | null;
  gender: string | null;
  createdAt: string;
  pointsBalance: number;
  tierCode: string;
  bookingSuspendedUntil: string | null;
  assets: Asset[];
  serviceRecords: Record<string, unknown>[];
  recentPoints: Record<string, unknown>[];
  availableCoupons: Record<string, unknown>[];
  recentBookings: Record<string, unknown>[];
  /** the member's complaints the signed-in staff member may see: the newest ten and how many in all */
  complaints: { total: number; items: ArchiveComplaint[] };
}

export interface ArchiveComplaint {
  id: number;
  number: string;
  categoryName: string;
  status: string;
  statusName: string;
  severity: "normal" | "major";
  severityName: string;
  slaState: "on_track" | "warning" | "breached" | "paused" | "met";
  slaStateName: string;
  createdAt: string;
}

/** Finds members by code, phone or plate (paged on the server). */
export const findMembers = (query: MemberQuery) => get<Page<MemberSummary>>("/staff/members", query);

/** Opens the full archive; the server writes the reason to the access log. */
export const fetchArchive = (id: number, reason: string) =>
  get<MemberArchive>(`/staff/members/${id}/archive`, { reason } satisfies QueryOf<"/api/v1/staff/members/{id}/archive", "get">);
