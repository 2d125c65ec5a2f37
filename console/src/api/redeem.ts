// Coupons (server/coupons) and tier benefits (server/tiers) redeemed at the desk.
import { get, newIdempotencyKey, request } from "./request.js";
import type { BodyOf } from "./types.js";

export type RedeemCouponBody = BodyOf<"/api/v1/staff/coupons/redeem", "post">;
export type RedeemBenefitBody = BodyOf<"/api/v1/staff/benefits/redeem", "post">;

export interface RedeemedCoupon {
  code: string;
  name: string;
  kind: string;
  valueFen: number | null;
  discountFen: number | null;
  usedAt: string | null;
  orderNo: string;
}

export interface Tier {
  code: string;
  name: string;
  benefits: { code: string; name: string; quota: number; period: string }[];
}

const quietPost = <T>(path: string, body: unknown) =>
  request<T>("POST", path, { body, quiet: true, headers: { "idempotency-key": newIdempotencyKey() } });

/** Redeems a coupon by its 16-character code against a work order. */
export const redeemCoupon = (body: RedeemCouponBody) => quietPost<RedeemedCoupon>("/staff/coupons/redeem", body);

/** Uses one of a member's tier benefits for a work order. */
export const redeemBenefit = (body: RedeemBenefitBody) => quietPost<Record<string, unknown>>("/staff/benefits/redeem", body);

export const fetchTiers = () => get<Tier[]>("/loyalty/tiers");
