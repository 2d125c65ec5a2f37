import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/**
 * One firing of a scheduled job. The unique (job, scheduledAt) row is the election: the instance
 * whose insert wins runs the firing; a runner that dies leaves an unfinished row whose lease runs
 * out, and another instance takes it over.
 */
@Entity("job_firing")
@Index("uq_job_firing", ["job", "scheduledAt"], { unique: true })
@Index("idx_job_firing_started", ["startedAt"])
export class JobFiring {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 64 })
  job: string;

  @Column({ type: "datetime", precision: 3 })
  scheduledAt: Date;

  @Column({ type: "varchar", length: 64 })
  instance: string;

  /** 1, or more when a later instance took over a firing whose runner died */
  @Column({ type: "int" })
  attempt: number;

  @Column({ type: "datetime", precision: 3 })
  startedAt: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  finishedAt: Date | null;

  @Column({ type: "datetime", precision: 3 })
  leaseUntil: Date;

  /** what the run did, JSON (e.g. {"enqueued": 12}) */
  @Column({ type: "varchar", length: 1000, nullable: true })
  counts: string | null;

  @Column({ type: "varchar", length: 1000, nullable: true })
  error: string | null;

  /** true when it ran at start-up for a firing missed while every instance was down */
  @Column({ type: "boolean", default: false })
  caughtUp: boolean;
}
