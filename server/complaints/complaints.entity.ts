import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";
import type { ComplaintChannel, ComplaintStatus, Demand, Severity } from "./categories.js";

/**
 * One complaint card (投诉登记卡): who complained, about what, what they ask for, who owns it and
 * its SLA clock. Status changes are compare-and-set on `status`; every change is a ComplaintEvent.
 */
@Entity("complaint")
@Index("uq_complaint_number", ["number"], { unique: true })
@Index("idx_complaint_store_status", ["storeId", "status", "receivedAt"])
@Index("idx_complaint_owner", ["ownerStaffId", "status"])
@Index("idx_complaint_member", ["memberId", "receivedAt"])
@Index("idx_complaint_received", ["receivedAt"])
export class Complaint {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  /** TS20261124-0007: the day of receipt (Shanghai) and that day's sequence */
  @Column({ type: "varchar", length: 20 })
  number: string;

  @Column({ type: "int" })
  storeId: number;

  @Column({ type: "varchar", length: 16 })
  channel: ComplaintChannel;

  @Column({ type: "varchar", length: 24 })
  category: string;

  @Column({ type: "varchar", length: 16 })
  team: string;

  @Column({ type: "varchar", length: 2000 })
  content: string;

  @Column({ type: "varchar", length: 24 })
  demand: Demand;

  /** null for a caller who is not a member */
  @Column({ type: "int", nullable: true })
  memberId: number | null;

  @Column({ type: "varchar", length: 32 })
  complainantName: string;

  @Column({ type: "varchar", length: 20, nullable: true })
  complainantPhone: string | null;

  @Column({ type: "varchar", length: 64, nullable: true })
  carModel: string | null;

  @Column({ type: "varchar", length: 16, nullable: true })
  plate: string | null;

  @Column({ type: "int", nullable: true })
  assetId: number | null;

  @Column({ type: "int", nullable: true })
  bookingId: number | null;

  /** the staff member complained about: never the owner, and cannot open it */
  @Column({ type: "int", nullable: true })
  accusedStaffId: number | null;

  @Column({ type: "varchar", length: 8 })
  severity: Severity;

  /** why it is major, comma separated (repeat, return_exchange, words:媒体, flag) */
  @Column({ type: "varchar", length: 200, default: "" })
  majorReasons: string;

  @Column({ type: "varchar", length: 16 })
  status: ComplaintStatus;

  /** who took it in (首问负责): staff intake only */
  @Column({ type: "int", nullable: true })
  receivedByStaffId: number | null;

  @Column({ type: "int", nullable: true })
  ownerStaffId: number | null;

  @Column({ type: "datetime", precision: 3 })
  receivedAt: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  assignedAt: Date | null;

  @Column({ type: "datetime", precision: 3 })
  firstResponseDueAt: Date;

  @Column({ type: "datetime", precision: 3 })
  firstResponseWarnAt: Date;

  @Column({ type: "datetime", precision: 3 })
  resolutionDueAt: Date;

  @Column({ type: "datetime", precision: 3 })
  resolutionWarnAt: Date;

  /** a major complaint's escalation report (预警报备) is due by then */
  @Column({ type: "datetime", precision: 3, nullable: true })
  escalationDueAt: Date | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  escalatedAt: Date | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  firstRespondedAt: Date | null;

  /** set while the complaint waits for the customer: the SLA clock is paused */
  @Column({ type: "datetime", precision: 3, nullable: true })
  pausedAt: Date | null;

  /** SLA warnings and breaches already raised, comma separated (first_warn, first_breach, resolution_warn, resolution_breach, escalation_breach) */
  @Column({ type: "varchar", length: 120, default: "" })
  slaFlags: string;

  @Column({ type: "datetime", precision: 3, nullable: true })
  resolvedAt: Date | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  closedAt: Date | null;

  /** the reply to the customer that resolved it (the handling department's opinion) */
  @Column({ type: "varchar", length: 2000, nullable: true })
  resolutionReply: string | null;

  @Column({ type: "varchar", length: 8, nullable: true })
  compensationType: "coupon" | "points" | null;

  @Column({ type: "int", nullable: true })
  compensationTemplateId: number | null;

  @Column({ type: "int", nullable: true })
  compensationPoints: number | null;

  /** fen: the compensation's value (coupon face value or points × fen per point) */
  @Column({ type: "int", nullable: true })
  compensationValueFen: number | null;

  @Column({ type: "int", nullable: true })
  compensationCouponId: number | null;

  @Column({ type: "int", nullable: true })
  compensationLedgerId: number | null;

  /** none | pending (a resolution above the resolver's limit waits) | approved | rejected */
  @Column({ type: "varchar", length: 12, default: "none" })
  approvalStatus: "none" | "pending" | "approved" | "rejected";

  /** the resolution waiting for approval, JSON */
  @Column({ type: "text", nullable: true })
  pendingResolution: string | null;

  @Column({ type: "int", nullable: true })
  approvalRequestedBy: number | null;

  @Column({ type: "int", nullable: true })
  approvalDecidedBy: number | null;

  @Column({ type: "int", nullable: true })
  satisfactionRating: number | null;

  @Column({ type: "boolean", nullable: true })
  satisfactionSolved: boolean | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  satisfactionComment: string | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  surveyedAt: Date | null;

  /** pending once resolved; done with its outcome */
  @Column({ type: "varchar", length: 8, nullable: true })
  returnVisitStatus: "pending" | "done" | null;

  @Column({ type: "varchar", length: 8, nullable: true })
  returnVisitMethod: "call" | "message" | null;

  @Column({ type: "varchar", length: 16, nullable: true })
  returnVisitOutcome: string | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  returnVisitNote: string | null;

  @Column({ type: "int", nullable: true })
  returnVisitBy: number | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  returnVisitAt: Date | null;

  @Column({ type: "int", default: 0 })
  reopenCount: number;

  @Column({ type: "datetime", precision: 3 })
  updatedAt: Date;
}

// the thread, audit trail, photos, reports, numbering, duty and case library
export * from "./records.entity.js";
