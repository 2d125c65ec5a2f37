import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** Who changed what: staff account changes, phone changes, later point adjustments. */
@Entity("audit_log")
@Index("idx_audit_target", ["targetType", "targetId"])
export class AuditLog {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "varchar", length: 16 })
  actorType: "staff" | "member" | "system";

  @Column({ type: "int", nullable: true })
  actorId: number | null;

  @Column({ type: "varchar", length: 48 })
  action: string;

  @Column({ type: "varchar", length: 32 })
  targetType: string;

  @Column({ type: "int" })
  targetId: number;

  /** JSON text; no secrets and no full phone numbers. */
  @Column({ type: "text" })
  detail: string;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}
