import { Column, Entity, PrimaryColumn } from "typeorm";

/** A lease per scheduled job, so one instance runs it when several share the database. */
@Entity("job_lease")
export class JobLease {
  @PrimaryColumn({ type: "varchar", length: 64 })
  name: string;

  @Column({ type: "varchar", length: 64 })
  owner: string;

  @Column({ type: "datetime", precision: 3 })
  lockedUntil: Date;
}
