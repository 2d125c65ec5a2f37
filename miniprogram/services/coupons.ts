import type { Page } from "../utils/list";
import { request } from "./request";

/** What a coupon gives, as templates and coupons both carry it; money in fen. */
export interface Offer {
  name: string;
  kind: "cash" | "percent" | "threshold" | "service";
  valueFen: number | null;
  percentOff: number | null;
  maxDiscountFen: number | null;
  thresholdFen: number | null;
  serviceName: string | null;
  storeId: number | null;
}

export interface CouponTemplate extends Offer {
  id: number;
  validFrom: string | null;
  validTo: string | null;
  validDays: number | null;
  remainingStock: number;
  perMemberLimit: number | null;
  tierCodes: string[] | null;
  channel: "claim" | "exchange";
  pointsCost: number | null;
  claimedByMe: number;
  canGet: boolean;
  reason: string | null;
}

export type CouponStatus = "available" | "used" | "expired" | "void";

export interface Coupon extends Offer {
  id: number;
  code: string;
  qrPayload: string;
  status: CouponStatus;
  templateId: number;
  validFrom: string;
  validTo: string;
  usedAt: string | null;
  discountFen: number | null;
}

/** Templates open to the member: free to claim, or for points. */
export function fetchClaimable(): Promise<CouponTemplate[]> {
  return request<CouponTemplate[]>("/api/v1/coupons/claimable");
}

/** Claims one coupon; a double tap or a retry of the same claim issues it once (one Idempotency-Key). */
export function claimCoupon(templateId: number): Promise<Coupon> {
  return request<Coupon>(`/api/v1/coupons/templates/${templateId}/claim`, { method: "POST", action: `claim:${templateId}` });
}

/** Exchanges points for a coupon, once per confirmed tap (one Idempotency-Key until the server answers). */
export function exchangeCoupon(templateId: number): Promise<{ coupon: Coupon; pointsSpent: number; pointsBalance: number }> {
  return request(`/api/v1/coupons/templates/${templateId}/exchange`, { method: "POST", action: `exchange:${templateId}` });
}

export function fetchMyCoupons(status: CouponStatus | undefined, page = 1, pageSize = 20): Promise<Page<Coupon>> {
  return request<Page<Coupon>>("/api/v1/me/coupons", { data: { ...(status ? { status } : {}), page, pageSize } });
}

/** One of the member's coupons (there is no single-coupon endpoint: it is found in the member's list). */
export async function fetchMyCoupon(id: number): Promise<Coupon | null> {
  for (let page = 1; page <= 10; page++) {
    const result = await fetchMyCoupons(undefined, page, 100);
    const found = result.items.find((c) => c.id === id);
    if (found) return found;
    if (page * 100 >= result.total) break;
  }
  return null;
}
