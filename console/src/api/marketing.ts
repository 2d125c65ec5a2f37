// 营销: coupon templates (server/coupons/templates.routes.ts), tiers with their benefits and the
// earning multipliers (server/tiers/tiers.routes.ts, loyalty-settings.routes.ts).
import { get, post, request } from "./request.js";
import type { BodyOf } from "./types.js";

export type CreateTemplateBody = BodyOf<"/api/v1/staff/coupon-templates", "post">;
export type UpdateTemplateBody = BodyOf<"/api/v1/staff/coupon-templates/{id}", "patch">;
export type UpdateTierBody = BodyOf<"/api/v1/staff/loyalty/tiers/{code}", "patch">;
export type CouponKind = CreateTemplateBody["kind"];
export type CouponChannel = CreateTemplateBody["channel"];

export interface CouponTemplate {
  id: number;
  name: string;
  kind: CouponKind;
  /** fen, like every amount below */
  valueFen: number | null;
  percentOff: number | null;
  maxDiscountFen: number | null;
  thresholdFen: number | null;
  serviceName: string | null;
  storeId: number | null;
  validFrom: string | null;
  validTo: string | null;
  validDays: number | null;
  totalStock: number;
  issuedCount: number;
  remainingStock: number;
  perMemberLimit: number | null;
  tierCodes: string[] | null;
  channel: CouponChannel;
  pointsCost: number | null;
  status: "active" | "paused";
}
export interface Tier {
  code: string;
  name: string;
  threshold: number;
  multiplierPct: number;
  birthdayMultiplierPct: number;
  labourDiscountPct: number;
  benefits: { code: string; name: string; quota: number; period: string }[];
}
export interface EarningSettings {
  /** spend categories: points per yuan scaled by multiplierPct */
  categories: { id: number; code: string; name: string; multiplierPct: number; active: boolean }[];
  /** points for actions (review, referral…) */
  rules: { id: number; code: string; name: string; points: number; active: boolean }[];
}

export const fetchTemplates = () => get<CouponTemplate[]>("/staff/coupon-templates", undefined, true);
export const createTemplate = (body: CreateTemplateBody) => post<CouponTemplate>("/staff/coupon-templates", body, { quiet: true });
export const updateTemplate = (id: number, body: UpdateTemplateBody) => request<CouponTemplate>("PATCH", `/staff/coupon-templates/${id}`, { body, quiet: true });
/** Deletes a template that never issued a coupon (the server refuses otherwise). */
export const deleteTemplate = (id: number) => request<unknown>("DELETE", `/staff/coupon-templates/${id}`);
/** Pauses (停用) or resumes (启用) issuing a template. */
export const setTemplatePaused = (id: number, paused: boolean) => post<CouponTemplate>(`/staff/coupon-templates/${id}/${paused ? "pause" : "resume"}`);
export const fetchTiers = () => get<Tier[]>("/loyalty/tiers", undefined, true);
export const fetchEarning = () => get<EarningSettings>("/staff/loyalty/earning", undefined, true);
export const updateTier = (code: string, body: UpdateTierBody) => request<unknown>("PATCH", `/staff/loyalty/tiers/${encodeURIComponent(code)}`, { body, quiet: true });

export type PutBenefitBody = BodyOf<"/api/v1/staff/loyalty/benefits", "put">;
export type PutCategoryBody = BodyOf<"/api/v1/staff/loyalty/categories/{code}", "put">;
export type PutRuleBody = BodyOf<"/api/v1/staff/loyalty/rules/{code}", "put">;
/** Sets a tier's benefit quota (0 removes it); admins only. */
export const putBenefit = (body: PutBenefitBody) => request<unknown>("PUT", "/staff/loyalty/benefits", { body });
export const putCategory = (code: string, body: PutCategoryBody) => request<unknown>("PUT", `/staff/loyalty/categories/${encodeURIComponent(code)}`, { body });
export const putRule = (code: string, body: PutRuleBody) => request<unknown>("PUT", `/staff/loyalty/rules/${encodeURIComponent(code)}`, { body });
