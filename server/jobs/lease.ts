import { ensureRow, type Database } from "../db/database.js";
import { affectedOf } from "../db/errors.js";
import { JobLease } from "./jobs.entity.js";

/**
 * Takes the named lease if it is free or has run out: one guarded update, so when several instances
 * fire the same cron at once exactly one of them runs the job.
 */
export async function tryLease(db: Database, name: string, owner: string, ttlMs: number, now = new Date()): Promise<boolean> {
  await ensureRow(db, JobLease, { name }, { name, owner: "", lockedUntil: new Date(0) });
  return db.tx(async (m) => {
    const taken = await m
      .createQueryBuilder()
      .update(JobLease)
      .set({ owner, lockedUntil: new Date(now.getTime() + ttlMs) })
      .where("name = :name AND lockedUntil <= :now", { name, now })
      .execute();
    return affectedOf(taken) === 1;
  });
}
