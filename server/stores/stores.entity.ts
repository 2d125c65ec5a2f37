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

  @Column({ type: "boolean" })
  active: boolean;

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

  @Column({ type: "boolean" })
  active: boolean;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}
