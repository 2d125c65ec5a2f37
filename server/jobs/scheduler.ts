import { hostname } from "node:os";
import cron, { type ScheduledTask } from "node-cron";
import type { Logger } from "pino";
import { expireCoupons, issueBirthdayCoupons } from "../coupons/coupons.jobs.js";
import type { Database } from "../db/database.js";
import { DISPLAY_TIME_ZONE } from "../http/time.js";
import { expirePoints } from "../points/points.jobs.js";
import { reviewAllTiers } from "../tiers/tiers.jobs.js";
import { tryLease } from "./lease.js";

interface Job {
  name: string;
  /** cron expression in Asia/Shanghai */
  schedule: string;
  run: (db: Database) => Promise<unknown>;
}

export const JOBS: Job[] = [
  { name: "coupons.expire", schedule: "5 0 * * *", run: (db) => expireCoupons(db) },
  { name: "points.expire", schedule: "10 0 * * *", run: (db) => expirePoints(db) },
  { name: "tiers.monthly-review", schedule: "30 0 1 * *", run: (db) => reviewAllTiers(db) },
  { name: "coupons.birthday", schedule: "0 9 * * *", run: (db) => issueBirthdayCoupons(db) },
];

// Longer than any clock skew between instances, shorter than the interval of the most frequent job.
const LEASE_MS = 30 * 60_000;

/** Starts every job on its cron; with several instances the database lease lets one of them run each firing. */
export function startScheduler(db: Database, logger: Logger): () => void {
  const owner = `${hostname()}:${process.pid}`;
  const tasks: ScheduledTask[] = JOBS.map((job) =>
    cron.schedule(
      job.schedule,
      async () => {
        if (!(await tryLease(db, job.name, owner, LEASE_MS))) return;
        const started = Date.now();
        try {
          const result = await job.run(db);
          logger.info({ job: job.name, result, ms: Date.now() - started }, "job done");
        } catch (err) {
          logger.error({ job: job.name, err }, "job failed");
        }
      },
      { name: job.name, timezone: DISPLAY_TIME_ZONE, noOverlap: true },
    ),
  );
  return () => tasks.forEach((t) => t.stop());
}
