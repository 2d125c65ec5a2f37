import type { EntityManager } from "typeorm";
import { recordAudit } from "../audit/audit.service.js";
import type { Config } from "../config.js";
import { affectedOf } from "../db/errors.js";
import { formatYuan } from "../http/money.js";
import { AppError } from "../http/app-error.js";
import { assertStoreScope } from "../http/auth.js";
import type { StaffPrincipal } from "../http/context.js";
import { formatShanghai } from "../http/time.js";
import { storeOfAction } from "../members/members.service.js";
import { creditPoints, lockMember } from "../points/points.service.js";
import { Coupon, CouponTemplate } from "./coupons.entity.js";
import type { RedeemBody } from "./coupons.schema.js";
import { toCouponView } from "./issue.service.js";

/** Why a coupon cannot be used now, or null. */
function statusProblem(coupon: Coupon, now: Date): AppError | null {
  if (coupon.status === "used") return new AppError("COUPON_ALREADY_USED", `该优惠券已于 ${formatShanghai(coupon.usedAt!)} 核销`, { usedAt: coupon.usedAt!.toISOString(), orderNo: coupon.usedOrderNo });
  if (coupon.status === "void") return new AppError("COUPON_VOID", "该优惠券已作废", { reason: coupon.voidReason });
  if (coupon.status === "expired" || coupon.validTo <= now) return new AppError("COUPON_EXPIRED", `该优惠券已于 ${formatShanghai(coupon.validTo)} 过期`);
  if (coupon.validFrom > now) return new AppError("COUPON_NOT_YET_VALID", `该优惠券 ${formatShanghai(coupon.validFrom)} 起可用`);
  return null;
}

/** fen off the order: cash up to the order amount, percent capped, service vouchers 0 (the service itself). */
function discountOf(t: CouponTemplate, orderAmountFen: number | undefined): number {
  if (t.thresholdFen > 0 && (orderAmountFen === undefined || orderAmountFen < t.thresholdFen)) {
    throw new AppError("COUPON_THRESHOLD_NOT_MET", `订单满 ${formatYuan(t.thresholdFen)} 才能使用该券`, { thresholdFen: t.thresholdFen });
  }
  if (t.kind === "service") return 0;
  if (t.kind === "percent") {
    if (orderAmountFen === undefined) throw new AppError("VALIDATION_FAILED", "折扣券需要提供订单金额 orderAmountFen", [{ in: "body", field: "orderAmountFen", rule: "required", message: "缺少必填字段" }]);
    const off = Math.floor((orderAmountFen * t.percentOff!) / 100);
    return t.maxDiscountFen === null ? off : Math.min(off, t.maxDiscountFen);
  }
  return orderAmountFen === undefined ? t.valueFen! : Math.min(t.valueFen!, orderAmountFen);
}

/** Staff redeem a coupon by its code: single use by compare-and-set on status, right store, threshold met. */
export async function redeemCoupon(m: EntityManager, staff: StaffPrincipal, body: RedeemBody, now = new Date()) {
  const coupon = await m.findOneBy(Coupon, { code: body.code.toUpperCase() });
  if (!coupon) throw new AppError("COUPON_NOT_FOUND", "券码无效，请核对后重试");
  const template = await m.findOneByOrFail(CouponTemplate, { id: coupon.templateId });
  const storeId = storeOfAction(staff, body.storeId);
  if (template.storeId !== null && template.storeId !== storeId) throw new AppError("COUPON_WRONG_STORE", "该优惠券不能在本门店使用", { storeId: template.storeId });
  const problem = statusProblem(coupon, now);
  if (problem) throw problem;
  const discountFen = discountOf(template, body.orderAmountFen);
  const used = await m
    .createQueryBuilder()
    .update(Coupon)
    .set({ status: "used", usedAt: now, usedOrderNo: body.orderNo, usedStoreId: storeId, usedByStaffId: staff.id, discountFen })
    .where("id = :id AND status = 'available' AND validTo > :now", { id: coupon.id, now })
    .execute();
  if (affectedOf(used) === 0) throw statusProblem(await m.findOneByOrFail(Coupon, { id: coupon.id }), now) ?? new AppError("COUPON_ALREADY_USED", "该优惠券已核销");
  const after = await m.findOneByOrFail(Coupon, { id: coupon.id });
  return { ...toCouponView(after, template), memberId: after.memberId, orderNo: body.orderNo };
}

/**
 * Voids an unused coupon with a reason (managers); an expired one may be voided too. A coupon the member
 * bought with points, voided before it expired, gets those points back in the same transaction, once:
 * the status change is a compare-and-set that also requires the coupon still valid, and the ledger row's
 * idempotency key is the coupon. The points come back as a new lot; tiers do not count the refund as earned.
 */
export async function voidCoupon(m: EntityManager, config: Config, staff: StaffPrincipal, code: string, reason: string, now = new Date()) {
  const coupon = await m.findOneBy(Coupon, { code: code.toUpperCase() });
  if (!coupon) throw new AppError("COUPON_NOT_FOUND", "券码无效，请核对后重试");
  const template = await m.findOneByOrFail(CouponTemplate, { id: coupon.templateId });
  if (template.storeId !== null) assertStoreScope(staff, template.storeId);
  const paid = coupon.issuedVia === "exchange" ? (template.pointsCost ?? 0) : 0;
  const refund = paid > 0 && coupon.status === "available" && coupon.validTo > now ? paid : 0;
  const guard = refund > 0 ? "status = 'available' AND validTo > :now" : "status IN ('available', 'expired')";
  const voided = await m.createQueryBuilder().update(Coupon).set({ status: "void", voidReason: reason }).where(`id = :id AND ${guard}`, { id: coupon.id, now }).execute();
  if (affectedOf(voided) === 0) {
    const current = await m.findOneByOrFail(Coupon, { id: coupon.id });
    if (current.status === "void") throw new AppError("COUPON_VOID", "该优惠券已作废", { reason: current.voidReason });
    throw statusProblem(current, now) ?? new AppError("COUPON_VOID", "该优惠券状态已变化，请刷新后重试");
  }
  if (refund > 0) {
    await lockMember(m, coupon.memberId);
    await creditPoints(
      m,
      { memberId: coupon.memberId, points: refund, reason: "coupon_refund", reasonText: `券作废退还积分：${template.name}`, idempotencyKey: `coupon-refund:${coupon.id}`, refType: "coupon", refId: String(coupon.id), staffId: staff.id },
      config.loyalty.pointsExpiryMonths,
    );
  }
  await recordAudit(m, { actorType: "staff", actorId: staff.id, action: "coupon.voided", targetType: "coupon", targetId: coupon.id, detail: { reason, refundedPoints: refund } });
  return { ...toCouponView({ ...coupon, status: "void", voidReason: reason }, template), refundedPoints: refund };
}
