import cron, { type ScheduledTask } from "node-cron";
import type { Database } from "../db/database.js";
import { execute, insertIgnore, sqlDate } from "../db/sql.js";
import { INSTANCE_ID } from "../db/startup-lock.js";
import { DISPLAY_TIME_ZONE } from "../http/time.js";
import { deliverDue, type NotifyDeps } from "../notify/deliver.js";
import { minuteOf, previousFiring } from "./cron-time.js";
import { JobFiring } from "./firing.entity.js";
import { JOBS, type Job } from "./jobs.js";

export interface SchedulerDeps extends NotifyDeps {
  clock: () => Date;
  /** who runs a firing (recorded on it); the process's id unless a test runs two schedulers in one process */
  instance?: string;
}

/** A firing's hold: renewed while it runs, so a daily job and a 5-minute job share one short lease and a dead runner is noticed within it. */
export const FIRING_LEASE_MS = 60_000;

/** A job's cron: JOB_CRON_<its name with every non-alphanumeric as _> when set, else its own. */
export const scheduleOf = (deps: { config: NotifyDeps["config"] }, job: Job) => deps.config.notify.cron[job.name.replace(/[^a-z0-9]/gi, "_").toLowerCase()] ?? job.schedule;

/**
 * Runs one firing of a job, at most once across every instance: the unique (job, scheduledAt) row
 * elects the runner; an unfinished row whose lease ran out (its runner died) is taken over. Returns
 * null when another instance has it, else the recorded firing.
 */
export async function runFiring(deps: SchedulerDeps, job: Job, scheduledAt: Date, caughtUp = false): Promise<JobFiring | null> {
  const { db } = deps;
  const instance = deps.instance ?? INSTANCE_ID;
  const started = deps.clock();
  const leaseUntil = () => new Date(deps.clock().getTime() + FIRING_LEASE_MS);
  const won = await db.tx((m) => insertIgnore(m, "job_firing", { job: job.name, scheduledAt, instance, attempt: 1, startedAt: started, leaseUntil: leaseUntil(), caughtUp }));
  if (!won) {
    const takenOver = await db.tx((m) =>
      execute(m, "UPDATE job_firing SET instance = ?, attempt = attempt + 1, startedAt = ?, leaseUntil = ?, error = NULL WHERE job = ? AND scheduledAt = ? AND finishedAt IS NULL AND leaseUntil < ?", [
        instance, sqlDate(m, started), sqlDate(m, leaseUntil()), job.name, sqlDate(m, scheduledAt), sqlDate(m, started),
      ]),
    );
    if (takenOver !== 1) return null;
  }
  const mine = "job = ? AND scheduledAt = ? AND instance = ? AND finishedAt IS NULL";
  const renew = setInterval(() => {
    db.tx((m) => execute(m, `UPDATE job_firing SET leaseUntil = ? WHERE ${mine}`, [sqlDate(m, leaseUntil()), job.name, sqlDate(m, scheduledAt), instance])).catch(() => undefined);
  }, FIRING_LEASE_MS / 3);
  renew.unref();
  let counts: unknown = null;
  let error: string | null = null;
  try {
    counts = await job.run(deps, scheduledAt);
  } catch (err) {
    error = String((err as Error).message ?? err).slice(0, 1000);
    deps.logger.error({ err, job: job.name }, "job failed");
  } finally {
    clearInterval(renew);
  }
  await db.tx((m) =>
    execute(m, `UPDATE job_firing SET finishedAt = ?, counts = ?, error = ? WHERE ${mine}`, [sqlDate(m, deps.clock()), counts === null ? null : JSON.stringify(counts).slice(0, 1000), error, job.name, sqlDate(m, scheduledAt), instance]),
  );
  deps.logger.info({ job: job.name, scheduledAt, counts, error }, "job firing done");
  return db.read((m) => m.findOneBy(JobFiring, { job: job.name, scheduledAt }));
}

/**
 * At start: each job's latest firing that no instance recorded (every instance was down), or that a
 * dead runner left unfinished, runs now. A job that never fired on this database has nothing to catch up.
 */
export async function catchUp(deps: SchedulerDeps, jobs: Job[] = JOBS): Promise<JobFiring[]> {
  const ran: JobFiring[] = [];
  for (const job of jobs) {
    const due = previousFiring(scheduleOf(deps, job), deps.clock());
    if (!due) continue;
    const [ever, firing] = await deps.db.read((m) => Promise.all([m.findOne(JobFiring, { where: { job: job.name }, select: { id: true } }), m.findOneBy(JobFiring, { job: job.name, scheduledAt: due })]));
    if (!ever || (firing && (firing.finishedAt !== null || firing.leaseUntil > deps.clock()))) continue;
    const result = await runFiring(deps, job, due, true);
    if (result) ran.push(result);
  }
  return ran;
}

/** Starts every job on its cron (Shanghai time, no overlap) and each instance's outbox delivery loop. Returns stop(). */
export function startScheduler(deps: SchedulerDeps, jobs: Job[] = JOBS): () => void {
  const tasks: ScheduledTask[] = jobs.map((job) =>
    cron.schedule(scheduleOf(deps, job), (context) => runFiring(deps, job, minuteOf(context.date)).then(() => undefined), { name: job.name, timezone: DISPLAY_TIME_ZONE, noOverlap: true }),
  );
  catchUp(deps, jobs).catch((err) => deps.logger.error({ err }, "catching up missed job firings failed"));
  let delivering = false;
  const loop = setInterval(() => {
    if (delivering) return;
    delivering = true;
    deliverDue(deps, deps.clock())
      .catch((err) => deps.logger.error({ err }, "outbox delivery round failed"))
      .finally(() => (delivering = false));
  }, deps.config.notify.pollMs);
  loop.unref();
  return () => {
    clearInterval(loop);
    tasks.forEach((t) => t.stop());
  };
}

/** Admins' view: every job, its schedule and its latest firings. */
export async function listJobs(db: Database, deps: { config: NotifyDeps["config"] }, jobs: Job[] = JOBS) {
  const firings = await db.read((m) => m.find(JobFiring, { order: { startedAt: "DESC" }, take: 200 }));
  return jobs.map((job) => ({
    name: job.name,
    label: job.label,
    schedule: scheduleOf(deps, job),
    firings: firings
      .filter((f) => f.job === job.name)
      .slice(0, 10)
      .map((f) => ({
        scheduledAt: f.scheduledAt.toISOString(),
        instance: f.instance,
        attempt: f.attempt,
        startedAt: f.startedAt.toISOString(),
        finishedAt: f.finishedAt?.toISOString() ?? null,
        status: f.finishedAt === null ? "running" : f.error ? "failed" : "done",
        counts: f.counts ? (JSON.parse(f.counts) as unknown) : null,
        error: f.error,
        caughtUp: f.caughtUp,
      })),
  }));
}
