import type { Page } from "../utils/list";
import { request } from "./request";

export interface LedgerRow {
  id: number;
  delta: number;
  balanceAfter: number;
  reason: string;
  reasonText: string;
  createdAt: string;
}

/** One page of the member's points ledger, newest first. */
export function fetchLedger(page: number, pageSize: number): Promise<Page<LedgerRow>> {
  return request<Page<LedgerRow>>("/api/v1/me/points", { data: { page, pageSize } });
}
