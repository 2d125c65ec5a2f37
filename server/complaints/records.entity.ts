import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

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
