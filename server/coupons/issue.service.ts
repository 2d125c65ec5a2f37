import type { EntityManager } from "typeorm";
import { execute, insertRow } from "../db/sql.js";
import { AppError, notFound } from "../http/app-error.js";
import { addDays } from "../http/time.js";
import { randomCode } from "../members/member-code.js";
import { Member } from "../members/members.entity.js";
import { lockAndReadMember, readSpendableLots, spendPoints, trySpendPoints } from "../points/points.service.js";
import { Coupon, CouponClaimCounter, CouponTemplate, type CouponChannel } from "./coupons.entity.js";
import { offerOf, readTemplate } from "./templates.service.js";

export function toCouponView(c: Coupon, t: CouponTemplate) {
  return {
    id: c.id,
    code: c.code,
    /** what the mini-program encodes in the QR code staff scan */
    qrPayload: `CPN:${c.code}`,
    status: c.status,
    templateId: t.id,
    ...offerOf(t),
    issuedVia: c.issuedVia,
    validFrom: c.validFrom.toISOString(),
    validTo: c.validTo.toISOString(),
    usedAt: c.usedAt?.toISOString() ?? null,
    discountFen: c.discountFen,
    voidReason: c.voidReason,
  };
}

/** Why a member may not get a coupon of this template right now, or null; a null member leaves the tier to the caller's guard. */
export function eligibilityProblem(t: CouponTemplate, member: Pick<Member, "tierCode"> | null, now: Date): AppError | null {
  if (t.status !== "active") return new AppError("COUPON_TEMPLATE_PAUSED", "该优惠券活动已暂停");
  if (t.validTo && t.validTo <= now) return new AppError("COUPON_TEMPLATE_EXPIRED", "该优惠券活动已结束");
  if (member && t.tierCodes && !t.tierCodes.split(",").includes(member.tierCode)) return new AppError("COUPON_TIER_RESTRICTED", "您的会员等级暂不能领取该优惠券", { tierCodes: t.tierCodes.split(",") });
  if (t.issuedCount >= t.totalStock) return new AppError("COUPON_OUT_OF_STOCK", "优惠券已被领完");
  return null;
}

export interface IssueOptions {
  via: CouponChannel;
  note?: string;
  /** once-only issues (birthday:tpl:member:year); unique in the table */
  issueKey?: string;
}

/**
 * Issues one coupon: stock and the per-member limit each move by a guarded update in the caller's
 * transaction, so neither can be exceeded under races.
 */
export async function issueCoupon(m: EntityManager, template: CouponTemplate, member: Pick<Member, "id" | "tierCode">, options: IssueOptions, now: Date): Promise<Coupon> {
  const problem = eligibilityProblem(template, member, now);
  if (problem && problem.code !== "COUPON_OUT_OF_STOCK") throw problem;
  return grantCoupon(m, template, member.id, options, now);
}

/**
 * Stock first: once it is gone every later claimer is refused by its first write, without waiting for
 * anything. Then the per-member limit and the coupon. A refused guard throws and the caller's
 * transaction takes everything back.
 */
async function grantCoupon(m: EntityManager, template: CouponTemplate, memberId: number, options: IssueOptions, now: Date): Promise<Coupon> {
  const taken = await execute(m, "UPDATE coupon_template SET issuedCount = issuedCount + 1 WHERE id = ? AND issuedCount < totalStock AND status = 'active'", [template.id]);
  if (taken === 0) throw new AppError("COUPON_OUT_OF_STOCK", "优惠券已被领完");
  if (template.perMemberLimit !== null) {
    const insertIgnore = m.connection.options.type === "better-sqlite3" ? "INSERT OR IGNORE" : "INSERT IGNORE";
    await execute(m, `${insertIgnore} INTO coupon_claim_counter (templateId, memberId, claimed) VALUES (?, ?, 0)`, [template.id, memberId]);
    // the limit as it is now, read in the same statement (this transaction holds the template's row): a manager's edit that raced the claim counts; a removed limit lets it through
    const counted = await execute(m, "UPDATE coupon_claim_counter SET claimed = claimed + 1 WHERE templateId = ? AND memberId = ? AND claimed < COALESCE((SELECT perMemberLimit FROM coupon_template WHERE id = ?), claimed + 1)", [template.id, memberId, template.id]);
    if (counted === 0) throw new AppError("COUPON_LIMIT_REACHED", `每人限领 ${template.perMemberLimit} 张，您已领过`, { limit: template.perMemberLimit });
  }
  const row = {
    code: randomCode(16),
    templateId: template.id,
    memberId,
    status: "available",
    issuedVia: options.via,
    validFrom: template.validFrom ?? now,
    validTo: template.validTo ?? addDays(now, template.validDays ?? 30),
    usedAt: null,
    usedOrderNo: null,
    usedStoreId: null,
    usedByStaffId: null,
    discountFen: null,
    voidReason: null,
    issueKey: options.issueKey ?? null,
    issueNote: options.note ?? null,
    createdAt: now,
  } satisfies Omit<Coupon, "id">;
  return Object.assign(new Coupon(), row, { id: await insertRow(m, "coupon", row) });
}

/** The template, refused unless it is issued through `channel`; with a member id, that member's tier too (read in the same statement). */
async function templateFor(m: EntityManager, templateId: number, channel: CouponChannel, memberId?: number) {
  const found = await readTemplate(m, templateId, memberId);
  if (!found) throw notFound("优惠券");
  const { template } = found;
  if (template.channel !== channel) {
    const how = { claim: "直接领取", exchange: "积分兑换", staff: "门店发放", job: "系统发放" }[template.channel];
    throw new AppError("COUPON_NOT_CLAIMABLE", `该优惠券只能通过${how}获得`, { channel: template.channel });
  }
  return found;
}

/** A member claims a free coupon from the mini-program. */
export async function claimCoupon(m: EntityManager, memberId: number, templateId: number, now = new Date()) {
  const { template, memberTier } = await templateFor(m, templateId, "claim", memberId);
  if (memberTier === null) throw notFound("会员");
  const coupon = await issueCoupon(m, template, { id: memberId, tierCode: memberTier }, { via: "claim" }, now);
  return toCouponView(coupon, template);
}

/**
 * A member pays points for a coupon: points first (member lock, then lots), then the stock and the
 * coupon, all in one transaction. Usually the guarded decrement takes the member lock itself; when it
 * cannot decide alone, the member is locked and read and the full checks answer.
 */
export async function exchangeCoupon(m: EntityManager, memberId: number, templateId: number, requestId: string, now = new Date()) {
  const { template } = await templateFor(m, templateId, "exchange");
  const lots = await readSpendableLots(m, memberId);
  const cost = template.pointsCost ?? 0;
  const change = { memberId, points: cost, reason: "exchange" as const, reasonText: `兑换优惠券「${template.name}」`, idempotencyKey: `exchange:${memberId}:${requestId}`, refType: "coupon_template", refId: String(template.id) };
  const open = eligibilityProblem(template, null, now) === null;
  let spent = open ? await trySpendPoints(m, change, { lots, tierCodes: template.tierCodes?.split(",") ?? null, now }) : null;
  if (!spent) {
    const member = await lockAndReadMember(m, memberId);
    const problem = eligibilityProblem(template, member, now);
    if (problem) throw problem;
    spent = await spendPoints(m, change, { balanceBefore: member.pointsBalance, lots });
  }
  const coupon = await grantCoupon(m, template, memberId, { via: "exchange" }, now);
  return { coupon: toCouponView(coupon, template), pointsSpent: cost, pointsBalance: spent.balanceAfter };
}

/** Staff (or a complaint) issue a compensation coupon of a staff-channel template. */
export async function issueByStaff(m: EntityManager, member: Member, templateId: number, note: string, now = new Date()) {
  const { template } = await templateFor(m, templateId, "staff");
  const coupon = await issueCoupon(m, template, member, { via: "staff", note }, now);
  return toCouponView(coupon, template);
}
