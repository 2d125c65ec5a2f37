import type { Page } from "../utils/list";
import { request } from "./request";

export interface AccessRow {
  id: number;
  at: string;
  storeName: string;
  /** 工作人员 0007: the work number, never the name */
  staff: string;
  reason: string;
}

/** Who read the member's archive, newest first. */
export function fetchAccessLog(page: number, pageSize: number): Promise<Page<AccessRow>> {
  return request<Page<AccessRow>>("/api/v1/me/access-log", { data: { page, pageSize } });
}

/** A copy of everything the platform holds about the member. */
export function exportMyData(): Promise<Record<string, unknown>> {
  return request<Record<string, unknown>>("/api/v1/me/export");
}
