import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** The first response to a request carrying an Idempotency-Key, replayed to every retry. */
@Entity("idempotency_record")
@Index("uq_idempotency", ["scope", "actor", "idemKey"], { unique: true })
export class IdempotencyRecord {
  @PrimaryGeneratedColumn({ type: "int" })
  id: number;

  @Column({ type: "varchar", length: 32 })
  scope: string;

  /** member:12 or staff:3 — keys are per caller */
  @Column({ type: "varchar", length: 32 })
  actor: string;

  @Column({ type: "varchar", length: 100 })
  idemKey: string;

  /** sha256 of the request, so a key reused for another request is refused */
  @Column({ type: "varchar", length: 64 })
  requestHash: string;

  @Column({ type: "int" })
  responseStatus: number;

  @Column({ type: "text" })
  responseBody: string;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}
