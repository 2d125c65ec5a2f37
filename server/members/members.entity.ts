import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export type Gender = "male" | "female" | "unknown";

@Entity("member")
export class Member {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_member_openid", { unique: true })
  @Column({ type: "varchar", length: 64 })
  openid: string;

  @Index("idx_member_unionid")
  @Column({ type: "varchar", length: 64, nullable: true })
  unionid: string | null;

  /** Shown on the member card (QR code); rotatable, so never used as an identifier elsewhere. */
  @Index("uq_member_code", { unique: true })
  @Column({ type: "varchar", length: 16 })
  memberCode: string;

  @Column({ type: "varchar", length: 32 })
  nickname: string;

  @Index("idx_member_phone")
  @Column({ type: "varchar", length: 20, nullable: true })
  phone: string | null;

  @Column({ type: "date", nullable: true })
  birthday: string | null;

  @Column({ type: "varchar", length: 8 })
  gender: Gender;

  /** Home store (所属门店): store-scoped staff act only on members of their store. */
  @Index("idx_member_store")
  @Column({ type: "int" })
  storeId: number;

  /** Active assets; raised only by a guarded update so the limit holds under races. */
  @Column({ type: "int" })
  assetCount: number;

  /** Spendable points; changes only with a ledger row and a guarded update (never below zero). */
  @Column({ type: "int", default: 0 })
  pointsBalance: number;

  @Column({ type: "varchar", length: 16, default: "normal" })
  tierCode: string;

  /** set after 3 no-shows in 90 days: online booking is refused until then */
  @Column({ type: "datetime", precision: 3, nullable: true })
  bookingSuspendedUntil: Date | null;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;

  @Column({ type: "datetime", precision: 3 })
  updatedAt: Date;
}
