import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

export type AssetKind = "car" | "appliance";

@Entity("asset")
@Index("uq_asset_member_plate", ["memberId", "activePlate"], { unique: true })
@Index("idx_asset_next_due_date", ["nextDueDate"])
export class Asset {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("idx_asset_member")
  @Column({ type: "int" })
  memberId: number;

  @Column({ type: "varchar", length: 16 })
  kind: AssetKind;

  /** Licence plate for cars; serial number or model code for appliances. */
  @Column({ type: "varchar", length: 16 })
  plate: string;

  /** Equal to `plate` while the asset is active and NULL once removed, so a removed car can be added again. */
  @Column({ type: "varchar", length: 16, nullable: true })
  activePlate: string | null;

  @Column({ type: "varchar", length: 6, nullable: true })
  vinLast6: string | null;

  @Column({ type: "varchar", length: 64 })
  model: string;

  @Column({ type: "date", nullable: true })
  purchaseDate: string | null;

  /** km */
  @Column({ type: "int" })
  mileage: number;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;

  @Column({ type: "datetime", precision: 3 })
  updatedAt: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  removedAt: Date | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  lastServiceAt: Date | null;

  /** next maintenance: whichever of date and mileage comes first */
  @Column({ type: "date", nullable: true })
  nextDueDate: string | null;

  /** km */
  @Column({ type: "int", nullable: true })
  nextDueMileage: number | null;
}

/** One archive per asset (一车一档): service records of later features attach here and outlive the asset's removal. */
@Entity("asset_archive")
export class AssetArchive {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_asset_archive_asset", { unique: true })
  @Column({ type: "int" })
  assetId: number;

  @Index("uq_asset_archive_no", { unique: true })
  @Column({ type: "varchar", length: 24 })
  archiveNo: string;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}
