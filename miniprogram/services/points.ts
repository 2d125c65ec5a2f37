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

export interface ExpiringLot {
  /** Shanghai date YYYY-MM-DD */
  expiresOn: string;
  points: number;
}

/** The points the member still holds, per expiry date, soonest first. */
export function fetchExpiringLots(): Promise<{ items: ExpiringLot[] }> {
  return request<{ items: ExpiringLot[] }>("/api/v1/me/points/lots");
}
