import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export const STAFF_ROLES = ["advisor", "agent", "manager", "admin"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

@Entity("staff_account")
export class StaffAccount {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_staff_username", { unique: true })
  @Column({ type: "varchar", length: 32 })
  username: string;

  @Column({ type: "varchar", length: 32 })
  name: string;

  @Column({ type: "varchar", length: 72 })
  passwordHash: string;

  @Column({ type: "varchar", length: 16 })
  role: StaffRole;

  /** NULL: every store (admins, regional managers). */
  @Column({ type: "int", nullable: true })
  storeId: number | null;

  @Column({ type: "boolean" })
  disabled: boolean;

  @Column({ type: "int" })
  failedLogins: number;

  @Column({ type: "datetime", precision: 3, nullable: true })
  lockedUntil: Date | null;

  /** Raised on disable and password change; tokens carrying an older version stop working. */
  @Column({ type: "int" })
  tokenVersion: number;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}
