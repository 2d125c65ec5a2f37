import { request } from "./request";

export interface MemberCard {
  id: number;
  nickname: string;
  phone: string | null;
  birthday: string | null;
  gender: "male" | "female" | "unknown";
  memberCode: string;
  storeId: number;
  pointsBalance: number;
  earnedLast12Months: number;
  tier: { code: string; name: string; labourDiscountPct: number };
  nextTier: { code: string; name: string; threshold: number; pointsNeeded: number } | null;
  expiringIn30Days: { points: number; firstExpiresAt: string | null };
}

export interface Benefit {
  code: string;
  name: string;
  period: string;
  quota: number;
  used: number;
  remaining: number;
  resetsAt: string;
}

export interface Asset {
  id: number;
  plate: string;
  model: string;
  mileage: number;
  nextDueDate: string | null;
  nextDueMileage: number | null;
}

export interface BookingSummary {
  id: number;
  bookingNo: string;
  storeId: number;
  plate: string | null;
  services: { name: string | null }[];
  start: string;
  status: string;
}

/** The member card: who, tier, points and what expires soon. */
export function fetchMemberCard(): Promise<MemberCard> {
  return request<MemberCard>("/api/v1/me");
}

export function rotateMemberCode(): Promise<MemberCard> {
  return request<MemberCard>("/api/v1/me/member-code/rotate", { method: "POST", action: "rotate-member-code" });
}

/** The tier's counted benefits and what is left this period. */
export function fetchBenefits(): Promise<Benefit[]> {
  return request<Benefit[]>("/api/v1/me/benefits");
}

export function fetchAssets(): Promise<Asset[]> {
  return request<Asset[]>("/api/v1/me/assets");
}

/** The next booked visit, if any. */
export async function fetchNextBooking(): Promise<BookingSummary | null> {
  const page = await request<{ items: BookingSummary[] }>("/api/v1/me/bookings", { data: { scope: "upcoming", pageSize: 1 } });
  return page.items[0] ?? null;
}

export function updateProfile(body: { nickname?: string; birthday?: string }): Promise<MemberCard> {
  return request<MemberCard>("/api/v1/me", { method: "PATCH", data: body });
}

/** Binds the phone WeChat's getPhoneNumber button handed over (its one-time code). */
export function bindPhone(code: string): Promise<MemberCard> {
  return request<MemberCard>("/api/v1/me/phone", { method: "POST", data: { code } });
}

export interface TierInfo {
  code: string;
  name: string;
  threshold: number;
}

/** The tier ladder (public): names for tier gates. */
export function fetchTiers(): Promise<TierInfo[]> {
  return request<TierInfo[]>("/api/v1/loyalty/tiers", { auth: false });
}
