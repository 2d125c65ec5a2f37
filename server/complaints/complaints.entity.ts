import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";
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

/** The thread: member messages, staff replies (the member sees 客服 <number>) and internal notes. */
@Entity("complaint_message")
@Index("idx_complaint_message", ["complaintId", "id"])
export class ComplaintMessage {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  complaintId: number;

  @Column({ type: "varchar", length: 8 })
  authorType: "member" | "staff" | "system";

  @Column({ type: "int", nullable: true })
  staffId: number | null;

  /** internal notes are for staff only */
  @Column({ type: "boolean" })
  internal: boolean;

  @Column({ type: "varchar", length: 2000 })
  body: string;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** The audit trail: every state change and hand-over, with who and when. */
@Entity("complaint_event")
@Index("idx_complaint_event", ["complaintId", "id"])
export class ComplaintEvent {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  complaintId: number;

  /** received, assigned, handed_over, responded, waiting, resumed, marked_major, escalated, resolution_requested, approval_rejected, resolved, reopened, closed, return_visit, surveyed */
  @Column({ type: "varchar", length: 24 })
  type: string;

  @Column({ type: "varchar", length: 16, nullable: true })
  fromStatus: string | null;

  @Column({ type: "varchar", length: 16, nullable: true })
  toStatus: string | null;

  @Column({ type: "varchar", length: 8 })
  actorType: "member" | "staff" | "system";

  @Column({ type: "int", nullable: true })
  actorId: number | null;

  /** JSON: e.g. { fromOwner, toOwner, note } */
  @Column({ type: "varchar", length: 1000, default: "{}" })
  detail: string;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** A photo of a complaint: uploaded first (unattached, owned by its uploader), then attached to a complaint or message. */
@Entity("complaint_photo")
@Index("idx_complaint_photo", ["complaintId"])
export class ComplaintPhoto {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int", nullable: true })
  complaintId: number | null;

  @Column({ type: "int", nullable: true })
  messageId: number | null;

  @Column({ type: "varchar", length: 8 })
  uploaderType: "member" | "staff";

  @Column({ type: "int" })
  uploaderId: number;

  /** where the photo store keeps the bytes */
  @Column({ type: "varchar", length: 128 })
  storageKey: string;

  @Column({ type: "varchar", length: 32 })
  contentType: string;

  @Column({ type: "int" })
  bytes: number;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** Reports filed on a complaint: the escalation report (预警报备) of a major one and the investigation report. */
@Entity("complaint_report")
@Index("uq_complaint_report", ["complaintId", "kind"], { unique: true })
export class ComplaintReport {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  complaintId: number;

  @Column({ type: "varchar", length: 16 })
  kind: "escalation" | "investigation";

  /** JSON of the report's fields */
  @Column({ type: "text" })
  body: string;

  @Column({ type: "int" })
  staffId: number;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** One row per Shanghai day: the last complaint number given out that day. */
@Entity("complaint_counter")
export class ComplaintCounter {
  @PrimaryColumn({ type: "varchar", length: 8 })
  day: string;

  @Column({ type: "int" })
  last: number;
}

/** An agent's duty switch and team; the router picks the on-duty agent with the fewest open complaints, then the longest idle. */
@Entity("agent_duty")
export class AgentDuty {
  @PrimaryColumn({ type: "int" })
  staffId: number;

  @Column({ type: "varchar", length: 16 })
  team: string;

  @Column({ type: "boolean" })
  onDuty: boolean;

  @Column({ type: "datetime", precision: 3, nullable: true })
  lastAssignedAt: Date | null;

  @Column({ type: "datetime", precision: 3 })
  updatedAt: Date;
}

/** A resolved complaint in the case library, anonymised (no name, phone or plate). */
@Entity("complaint_case")
@Index("uq_complaint_case", ["complaintId"], { unique: true })
@Index("idx_complaint_case_category", ["category"])
export class ComplaintCase {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  complaintId: number;

  @Column({ type: "varchar", length: 24 })
  category: string;

  @Column({ type: "varchar", length: 100 })
  title: string;

  @Column({ type: "text" })
  summary: string;

  @Column({ type: "text" })
  investigation: string;

  @Column({ type: "varchar", length: 2000 })
  resolution: string;

  @Column({ type: "int" })
  createdBy: number;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}
