import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** What was done to an asset on one visit, kept on its archive (一车一档). */
@Entity("service_record")
@Index("idx_service_record_asset", ["assetId", "completedAt"])
export class ServiceRecord {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_service_record_booking", { unique: true })
  @Column({ type: "int", nullable: true })
  bookingId: number | null;

  @Column({ type: "int" })
  assetId: number;

  @Column({ type: "int" })
  archiveId: number;

  @Index("idx_service_record_member")
  @Column({ type: "int" })
  memberId: number;

  @Column({ type: "int" })
  storeId: number;

  /** JSON: [{ name, kind: "labour" | "part", amountFen, quantity }] */
  @Column({ type: "text" })
  items: string;

  /** fen */
  @Column({ type: "int" })
  partsFen: number;

  /** fen, before the tier's labour discount */
  @Column({ type: "int" })
  labourFen: number;

  /** fen taken off labour by the tier */
  @Column({ type: "int" })
  discountFen: number;

  /** fen the member paid */
  @Column({ type: "int" })
  amountFen: number;

  /** km */
  @Column({ type: "int" })
  mileage: number;

  @Column({ type: "int", nullable: true })
  technicianId: number | null;

  @Column({ type: "int" })
  pointsEarned: number;

  @Column({ type: "datetime", precision: 3 })
  completedAt: Date;

  /** 1–5 */
  @Column({ type: "int", nullable: true })
  rating: number | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  ratingComment: string | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  ratedAt: Date | null;
}

/** Maintenance interval for models whose name contains `modelPattern`; the default applies otherwise. */
@Entity("maintenance_interval")
export class MaintenanceInterval {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "varchar", length: 64 })
  modelPattern: string;

  @Column({ type: "int" })
  months: number;

  /** km */
  @Column({ type: "int" })
  km: number;
}
