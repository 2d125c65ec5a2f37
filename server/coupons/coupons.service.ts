import { In, type EntityManager } from "typeorm";
import { Member } from "../members/members.entity.js";
import { PointsLedger } from "../points/points.entity.js";
import { Coupon, CouponClaimCounter, CouponTemplate } from "./coupons.entity.js";
import type { MyCouponsQuery } from "./coupons.schema.js";
import { eligibilityProblem, toCouponView } from "./issue.service.js";
import { toTemplateView } from "./templates.service.js";

/** Templates a member can get in the mini-program (claim or exchange), with whether they can right now. */
export async function listClaimable(m: EntityManager, memberId: number, now = new Date()) {
  const member = await m.findOneByOrFail(Member, { id: memberId });
  const templates = await m.find(CouponTemplate, { where: { channel: In(["claim", "exchange"]), status: "active" }, order: { id: "DESC" } });
  const open = templates.filter((t) => !t.validTo || t.validTo > now);
  const counters = open.length ? await m.findBy(CouponClaimCounter, { memberId, templateId: In(open.map((t) => t.id)) }) : [];
  return open.map((t) => {
    const claimed = counters.find((c) => c.templateId === t.id)?.claimed ?? 0;
    const problem = eligibilityProblem(t, member, now);
    const limitReached = t.perMemberLimit !== null && claimed >= t.perMemberLimit;
    const insufficient = t.channel === "exchange" && member.pointsBalance < (t.pointsCost ?? 0);
    const { issuedCount: _issued, ...view } = toTemplateView(t);
    return {
      ...view,
      claimedByMe: claimed,
      canGet: !problem && !limitReached && !insufficient,
      reason: problem?.message ?? (limitReached ? "已达到每人限领数量" : insufficient ? "积分不足" : null),
    };
  });
}

/** The member's coupons, newest first; expired ones show as expired even before the nightly job marks them. */
export async function listMyCoupons(m: EntityManager, memberId: number, query: MyCouponsQuery, now = new Date()) {
  const qb = m.createQueryBuilder(Coupon, "c").where("c.memberId = :memberId", { memberId });
  if (query.status === "available") qb.andWhere("c.status = 'available' AND c.validTo > :now", { now });
  else if (query.status === "expired") qb.andWhere("(c.status = 'expired' OR (c.status = 'available' AND c.validTo <= :now))", { now });
  else if (query.status) qb.andWhere("c.status = :status", { status: query.status });
  const [coupons, total] = await qb.orderBy("c.id", "DESC").skip((query.page - 1) * query.pageSize).take(query.pageSize).getManyAndCount();
  const templates = coupons.length ? await m.findBy(CouponTemplate, { id: In([...new Set(coupons.map((c) => c.templateId))]) }) : [];
  const voided = coupons.filter((c) => c.status === "void").map((c) => String(c.id));
  const refunds = voided.length ? await m.findBy(PointsLedger, { refType: "coupon", refId: In(voided), reason: "coupon_refund" }) : [];
  const items = coupons.map((c) => {
    const view = toCouponView(c, templates.find((t) => t.id === c.templateId)!);
    if (c.status === "void") return { ...view, refundedPoints: refunds.find((r) => r.refId === String(c.id))?.delta ?? 0 };
    return c.status === "available" && c.validTo <= now ? { ...view, status: "expired" as const } : view;
  });
  return { total, page: query.page, pageSize: query.pageSize, items };
}
