import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export type CouponKind = "cash" | "percent" | "threshold" | "service";
export type CouponChannel = "claim" | "exchange" | "staff" | "job";
export type CouponStatus = "available" | "used" | "expired" | "void";

@Entity("coupon_template")
export class CouponTemplate {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "varchar", length: 64 })
  name: string;

  @Column({ type: "varchar", length: 12 })
  kind: CouponKind;

  /** fen off, for cash and threshold coupons */
  @Column({ type: "int", nullable: true })
  valueFen: number | null;

  /** percent off (15 = 15 % off), for percent coupons */
  @Column({ type: "int", nullable: true })
  percentOff: number | null;

  /** fen: cap of a percent discount */
  @Column({ type: "int", nullable: true })
  maxDiscountFen: number | null;

  /** fen: the order must reach this amount (满300减50); 0 for none */
  @Column({ type: "int" })
  thresholdFen: number;

  /** what a service voucher is good for, e.g. 免费洗车一次 */
  @Column({ type: "varchar", length: 64, nullable: true })
  serviceName: string | null;

  /** fixed validity window … */
  @Column({ type: "datetime", precision: 3, nullable: true })
  validFrom: Date | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  validTo: Date | null;

  /** … or valid for N days after it is issued */
  @Column({ type: "int", nullable: true })
  validDays: number | null;

  @Column({ type: "int" })
  totalStock: number;

  /** raised only by a guarded update: issuedCount <= totalStock always */
  @Column({ type: "int" })
  issuedCount: number;

  /** null: no limit */
  @Column({ type: "int", nullable: true })
  perMemberLimit: number | null;

  /** comma-separated tier codes that may get it; null: every tier */
  @Column({ type: "varchar", length: 100, nullable: true })
  tierCodes: string | null;

  @Column({ type: "varchar", length: 12 })
  channel: CouponChannel;

  /** points paid for an exchange */
  @Column({ type: "int", nullable: true })
  pointsCost: number | null;

  /** null: redeemable in every store */
  @Column({ type: "int", nullable: true })
  storeId: number | null;

  @Column({ type: "varchar", length: 12 })
  status: "active" | "paused";

  /** for channel "job": which job issues it, e.g. birthday */
  @Column({ type: "varchar", length: 32, nullable: true })
  jobCode: string | null;

  @Column({ type: "int", nullable: true })
  createdBy: number | null;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

@Entity("coupon")
@Index("idx_coupon_member", ["memberId", "status"])
@Index("idx_coupon_expiry", ["status", "validTo"])
export class Coupon {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  /** unguessable; the member shows it as a QR code and staff redeem by it */
  @Index("uq_coupon_code", { unique: true })
  @Column({ type: "varchar", length: 20 })
  code: string;

  @Index("idx_coupon_template")
  @Column({ type: "int" })
  templateId: number;

  @Column({ type: "int" })
  memberId: number;

  @Column({ type: "varchar", length: 12 })
  status: CouponStatus;

  @Column({ type: "varchar", length: 12 })
  issuedVia: CouponChannel;

  @Column({ type: "datetime", precision: 3 })
  validFrom: Date;

  @Column({ type: "datetime", precision: 3 })
  validTo: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  usedAt: Date | null;

  @Column({ type: "varchar", length: 64, nullable: true })
  usedOrderNo: string | null;

  @Column({ type: "int", nullable: true })
  usedStoreId: number | null;

  @Column({ type: "int", nullable: true })
  usedByStaffId: number | null;

  /** fen taken off the order when used */
  @Column({ type: "int", nullable: true })
  discountFen: number | null;

  @Column({ type: "varchar", length: 200, nullable: true })
  voidReason: string | null;

  /** set when an issue must happen once, e.g. birthday:12:34:2026; claims leave it null */
  @Index("uq_coupon_issue_key", { unique: true })
  @Column({ type: "varchar", length: 100, nullable: true })
  issueKey: string | null;

  /** why it was issued by staff or a job (e.g. complaint compensation) */
  @Column({ type: "varchar", length: 200, nullable: true })
  issueNote: string | null;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** Coupons of one template a member holds; raised by a guarded update so the per-member limit holds under races. */
@Entity("coupon_claim_counter")
@Index("uq_coupon_claim_counter", ["templateId", "memberId"], { unique: true })
export class CouponClaimCounter {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  templateId: number;

  @Column({ type: "int" })
  memberId: number;

  @Column({ type: "int" })
  claimed: number;
}
