import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export type LedgerReason = "consumption" | "consumption_void" | "action" | "exchange" | "coupon_refund" | "adjust" | "expire";

/** Append-only: every change of a member's points is one row; the balance moves in the same transaction. */
@Entity("points_ledger")
@Index("idx_ledger_member", ["memberId", "id"])
@Index("idx_ledger_created", ["createdAt"])
export class PointsLedger {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  memberId: number;

  /** signed points */
  @Column({ type: "int" })
  delta: number;

  @Column({ type: "int" })
  balanceAfter: number;

  @Column({ type: "varchar", length: 24 })
  reason: LedgerReason;

  /** What the member reads in the points history, e.g. 保养消费 ¥680.00（单号 A001） */
  @Column({ type: "varchar", length: 200 })
  reasonText: string;

  @Column({ type: "varchar", length: 24, nullable: true })
  refType: string | null;

  @Column({ type: "varchar", length: 64, nullable: true })
  refId: string | null;

  /** One row per key: a retried credit or spend finds the first one. */
  @Index("uq_ledger_idempotency", { unique: true })
  @Column({ type: "varchar", length: 160 })
  idempotencyKey: string;

  /** Points that should have been taken back but were already spent (voids never go below zero). */
  @Column({ type: "int" })
  shortfall: number;

  @Column({ type: "int", nullable: true })
  staffId: number | null;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** Earned points with their expiry; spending takes from the earliest-expiring lots first. */
@Entity("points_lot")
@Index("idx_lot_member_expiry", ["memberId", "expiresAt"])
export class PointsLot {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  memberId: number;

  @Column({ type: "int" })
  ledgerId: number;

  @Column({ type: "int" })
  points: number;

  @Column({ type: "int" })
  remaining: number;

  @Index("idx_lot_expiry")
  @Column({ type: "datetime", precision: 3 })
  expiresAt: Date;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** A purchase recorded by staff; orderNo is unique so a repeated post credits once. */
@Entity("consumption")
export class Consumption {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_consumption_order", { unique: true })
  @Column({ type: "varchar", length: 64 })
  orderNo: string;

  @Index("idx_consumption_member")
  @Column({ type: "int" })
  memberId: number;

  @Column({ type: "int" })
  storeId: number;

  @Column({ type: "varchar", length: 24 })
  category: string;

  /** fen */
  @Column({ type: "int" })
  amountFen: number;

  @Column({ type: "int" })
  pointsEarned: number;

  @Column({ type: "varchar", length: 12 })
  status: "recorded" | "voided";

  @Column({ type: "int" })
  staffId: number;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  voidedAt: Date | null;

  @Column({ type: "varchar", length: 200, nullable: true })
  voidReason: string | null;
}

/** Spend categories and their points multiplier (percent: 50 = ×0.5). */
@Entity("earning_category")
export class EarningCategory {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_earning_category_code", { unique: true })
  @Column({ type: "varchar", length: 24 })
  code: string;

  @Column({ type: "varchar", length: 32 })
  name: string;

  @Column({ type: "int" })
  multiplierPct: number;

  @Column({ type: "boolean" })
  active: boolean;
}

/** Points for actions (service review, referral…), credited once per reference. */
@Entity("earning_rule")
export class EarningRule {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_earning_rule_code", { unique: true })
  @Column({ type: "varchar", length: 32 })
  code: string;

  @Column({ type: "varchar", length: 32 })
  name: string;

  @Column({ type: "int" })
  points: number;

  @Column({ type: "boolean" })
  active: boolean;
}
