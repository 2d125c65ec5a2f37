import type { EntityManager } from "typeorm";
import { affectedOf } from "../db/errors.js";
import { AppError, notFound } from "../http/app-error.js";
import { addDays } from "../http/time.js";
import { randomCode } from "../members/member-code.js";
import { Member } from "../members/members.entity.js";
import { lockMember, spendPoints } from "../points/points.service.js";
import { Coupon, CouponClaimCounter, CouponTemplate, type CouponChannel } from "./coupons.entity.js";
import { offerOf } from "./templates.service.js";

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

/** Why a member may not get a coupon of this template right now, or null. */
export function eligibilityProblem(t: CouponTemplate, member: Member, now: Date): AppError | null {
  if (t.status !== "active") return new AppError("COUPON_TEMPLATE_PAUSED", "该优惠券活动已暂停");
  if (t.validTo && t.validTo <= now) return new AppError("COUPON_TEMPLATE_EXPIRED", "该优惠券活动已结束");
  if (t.tierCodes && !t.tierCodes.split(",").includes(member.tierCode)) return new AppError("COUPON_TIER_RESTRICTED", "您的会员等级暂不能领取该优惠券", { tierCodes: t.tierCodes.split(",") });
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
 * transaction (template row first, then the member's counter), so neither can be exceeded under races.
 */
export async function issueCoupon(m: EntityManager, template: CouponTemplate, member: Member, options: IssueOptions, now: Date): Promise<Coupon> {
  const problem = eligibilityProblem(template, member, now);
  if (problem && problem.code !== "COUPON_OUT_OF_STOCK") throw problem;
  const taken = await m
    .createQueryBuilder()
    .update(CouponTemplate)
    .set({ issuedCount: () => "issuedCount + 1" })
    .where("id = :id AND issuedCount < totalStock AND status = 'active'", { id: template.id })
    .execute();
  if (affectedOf(taken) === 0) throw new AppError("COUPON_OUT_OF_STOCK", "优惠券已被领完");
  if (template.perMemberLimit !== null) {
    await m.createQueryBuilder().insert().into(CouponClaimCounter).values({ templateId: template.id, memberId: member.id, claimed: 0 }).orIgnore().execute();
    const counted = await m
      .createQueryBuilder()
      .update(CouponClaimCounter)
      .set({ claimed: () => "claimed + 1" })
      .where("templateId = :templateId AND memberId = :memberId AND claimed < :limit", { templateId: template.id, memberId: member.id, limit: template.perMemberLimit })
      .execute();
    if (affectedOf(counted) === 0) throw new AppError("COUPON_LIMIT_REACHED", `每人限领 ${template.perMemberLimit} 张，您已领过`, { limit: template.perMemberLimit });
  }
  const validFrom = template.validFrom ?? now;
  const validTo = template.validTo ?? addDays(now, template.validDays ?? 30);
  return m.save(
    m.create(Coupon, {
      code: randomCode(16),
      templateId: template.id,
      memberId: member.id,
      status: "available",
      issuedVia: options.via,
      validFrom,
      validTo,
      usedAt: null,
      usedOrderNo: null,
      usedStoreId: null,
      usedByStaffId: null,
      discountFen: null,
      voidReason: null,
      issueKey: options.issueKey ?? null,
      issueNote: options.note ?? null,
      createdAt: now,
    }),
  );
}

async function templateFor(m: EntityManager, templateId: number, channel: CouponChannel): Promise<CouponTemplate> {
  const template = await m.findOneBy(CouponTemplate, { id: templateId });
  if (!template) throw notFound("优惠券");
  if (template.channel !== channel) {
    const how = { claim: "直接领取", exchange: "积分兑换", staff: "门店发放", job: "系统发放" }[template.channel];
    throw new AppError("COUPON_NOT_CLAIMABLE", `该优惠券只能通过${how}获得`, { channel: template.channel });
  }
  return template;
}

/** A member claims a free coupon from the mini-program. */
export async function claimCoupon(m: EntityManager, memberId: number, templateId: number, now = new Date()) {
  const template = await templateFor(m, templateId, "claim");
  const member = await m.findOneByOrFail(Member, { id: memberId });
  const coupon = await issueCoupon(m, template, member, { via: "claim" }, now);
  return toCouponView(coupon, template);
}

/** A member pays points for a coupon: member lock and points first, then stock, all in one transaction. */
export async function exchangeCoupon(m: EntityManager, memberId: number, templateId: number, requestId: string, now = new Date()) {
  const template = await templateFor(m, templateId, "exchange");
  await lockMember(m, memberId);
  const member = await m.findOneByOrFail(Member, { id: memberId });
  const problem = eligibilityProblem(template, member, now);
  if (problem) throw problem;
  const cost = template.pointsCost ?? 0;
  const entry = await spendPoints(m, { memberId, points: cost, reason: "exchange", reasonText: `兑换优惠券「${template.name}」`, idempotencyKey: `exchange:${memberId}:${requestId}`, refType: "coupon_template", refId: String(template.id) });
  const coupon = await issueCoupon(m, template, member, { via: "exchange" }, now);
  return { coupon: toCouponView(coupon, template), pointsSpent: cost, pointsBalance: entry.balanceAfter };
}

/** Staff (or a complaint) issue a compensation coupon of a staff-channel template. */
export async function issueByStaff(m: EntityManager, member: Member, templateId: number, note: string, now = new Date()) {
  const template = await templateFor(m, templateId, "staff");
  const coupon = await issueCoupon(m, template, member, { via: "staff", note }, now);
  return toCouponView(coupon, template);
}
