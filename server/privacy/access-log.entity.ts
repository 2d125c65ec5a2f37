import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** 查阅登记: one row per staff read of a member's full archive. */
@Entity("member_access_log")
@Index("idx_access_log_member", ["memberId", "createdAt"])
export class MemberAccessLog {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("idx_access_log_staff")
  @Column({ type: "int" })
  staffId: number;

  @Column({ type: "int" })
  memberId: number;

  /** The member's home store at the time of the read, so store managers can list their own. */
  @Column({ type: "int" })
  storeId: number;

  @Column({ type: "varchar", length: 200 })
  reason: string;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}
