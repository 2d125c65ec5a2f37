import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** A membership tier, reached by points earned in the last 12 months. */
@Entity("tier")
export class Tier {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_tier_code", { unique: true })
  @Column({ type: "varchar", length: 16 })
  code: string;

  @Column({ type: "varchar", length: 16 })
  name: string;

  /** points earned in the last 12 months needed to hold this tier */
  @Column({ type: "int" })
  threshold: number;

  /** order from lowest (0) up */
  @Column({ type: "int" })
  sortOrder: number;

  /** points multiplier in percent (100 = ×1) */
  @Column({ type: "int" })
  multiplierPct: number;

  /** extra multiplier in the member's birthday month, percent */
  @Column({ type: "int" })
  birthdayMultiplierPct: number;

  /** discount on labour, percent */
  @Column({ type: "int" })
  labourDiscountPct: number;
}

@Entity("tier_history")
export class TierHistory {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("idx_tier_history_member")
  @Column({ type: "int" })
  memberId: number;

  @Column({ type: "varchar", length: 16, nullable: true })
  fromTier: string | null;

  @Column({ type: "varchar", length: 16 })
  toTier: string;

  @Column({ type: "varchar", length: 200 })
  reason: string;

  @Column({ type: "int" })
  earned12m: number;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** A counted benefit of a tier: `quota` uses per month or year. */
@Entity("tier_benefit")
@Index("uq_tier_benefit", ["tierCode", "code"], { unique: true })
export class TierBenefit {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "varchar", length: 16 })
  tierCode: string;

  @Column({ type: "varchar", length: 32 })
  code: string;

  @Column({ type: "varchar", length: 32 })
  name: string;

  @Column({ type: "int" })
  quota: number;

  @Column({ type: "varchar", length: 8 })
  period: "month" | "year";
}

/** Uses of one benefit by one member in one period; `used` rises only by a guarded update. */
@Entity("benefit_usage")
@Index("uq_benefit_usage", ["memberId", "benefitCode", "periodKey"], { unique: true })
export class BenefitUsage {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  memberId: number;

  @Column({ type: "varchar", length: 32 })
  benefitCode: string;

  /** 2026-11 for monthly benefits, 2026 for yearly ones (Shanghai calendar) */
  @Column({ type: "varchar", length: 8 })
  periodKey: string;

  @Column({ type: "int" })
  used: number;
}

/** One use of a benefit; the reference (work order, booking) makes a retried use idempotent. */
@Entity("benefit_redemption")
@Index("uq_benefit_redemption", ["memberId", "benefitCode", "reference"], { unique: true })
export class BenefitRedemption {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  memberId: number;

  @Column({ type: "varchar", length: 32 })
  benefitCode: string;

  @Column({ type: "varchar", length: 8 })
  periodKey: string;

  @Column({ type: "varchar", length: 64 })
  reference: string;

  @Column({ type: "int", nullable: true })
  staffId: number | null;

  @Column({ type: "int", nullable: true })
  storeId: number | null;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}
