import { ensureLogin } from "./auth";
import { request } from "./request";

export interface MemberCard {
  nickname: string;
  memberCode: string;
  pointsBalance: number;
  tier: { code: string; name: string; labourDiscountPct: number };
  nextTier: { name: string; pointsNeeded: number } | null;
  expiringIn30Days: { points: number; firstExpiresAt: string | null };
}

/** The member card: who, tier, points and what expires soon. */
export async function fetchMemberCard(): Promise<MemberCard> {
  await ensureLogin();
  return request<MemberCard>("/api/v1/me");
}

export async function rotateMemberCode(): Promise<MemberCard> {
  await ensureLogin();
  return request<MemberCard>("/api/v1/me/member-code/rotate", { method: "POST" });
}
