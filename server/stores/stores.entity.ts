import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

@Entity("store")
export class Store {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_store_code", { unique: true })
  @Column({ type: "varchar", length: 32 })
  code: string;

  @Column({ type: "varchar", length: 64 })
  name: string;

  @Column({ type: "varchar", length: 200 })
  address: string;

  @Column({ type: "varchar", length: 32 })
  phone: string;

  /** the city a weather alert can target, e.g. 上海 */
  @Column({ type: "varchar", length: 32, nullable: true })
  city: string | null;

  @Column({ type: "boolean" })
  active: boolean;

  /** closed on statutory holidays (法定节假日) from the chinese-days calendar */
  @Column({ type: "boolean", default: true })
  closedOnHolidays: boolean;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

@Entity("service_type")
export class ServiceType {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Index("uq_service_type_code", { unique: true })
  @Column({ type: "varchar", length: 32 })
  code: string;

  @Column({ type: "varchar", length: 64 })
  name: string;

  @Column({ type: "int" })
  durationMinutes: number;

  /** the bay the service occupies; null for add-ons such as pickup-and-delivery */
  @Column({ type: "varchar", length: 16, nullable: true })
  bayKind: BayKind | null;

  @Column({ type: "boolean" })
  active: boolean;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** Opening hours per weekday (0 = Sunday) in Shanghai local time; no row = closed that weekday. */
@Entity("store_hours")
@Index("uq_store_hours", ["storeId", "weekday"], { unique: true })
export class StoreHours {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  storeId: number;

  @Column({ type: "int" })
  weekday: number;

  /** HH:MM */
  @Column({ type: "varchar", length: 5 })
  opensAt: string;

  /** HH:MM */
  @Column({ type: "varchar", length: 5 })
  closesAt: string;
}

/** A day one store is closed (stocktaking, training…), on top of statutory holidays. */
@Entity("store_closure")
@Index("uq_store_closure", ["storeId", "date"], { unique: true })
export class StoreClosure {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  storeId: number;

  @Column({ type: "date" })
  date: string;

  @Column({ type: "varchar", length: 100 })
  reason: string;
}

export type BayKind = "lift" | "inspection";

/** A service bay: capacity is the number of active bays of a kind per time. */
@Entity("service_bay")
@Index("idx_service_bay_store", ["storeId", "kind"])
export class ServiceBay {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  storeId: number;

  @Column({ type: "varchar", length: 16 })
  kind: BayKind;

  @Column({ type: "varchar", length: 32 })
  name: string;

  @Column({ type: "boolean" })
  active: boolean;
}

@Entity("technician")
@Index("idx_technician_store", ["storeId"])
export class Technician {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "int" })
  storeId: number;

  @Column({ type: "varchar", length: 32 })
  name: string;

  /** comma-separated service type codes the technician can do */
  @Column({ type: "varchar", length: 200 })
  skills: string;

  @Column({ type: "boolean" })
  active: boolean;
}
