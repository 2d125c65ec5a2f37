import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { JobFiring } from "../../../server/jobs/firing.entity.js";
import { JOBS } from "../../../server/jobs/jobs.js";
import { startScheduler } from "../../../server/jobs/scheduler.js";
import { shanghaiInstant } from "../../../server/stores/calendar.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { NOTIFY_ENV } from "../../helpers/notify.js";

describe.each(DATABASE_KINDS)("the scheduler started on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind, NOTIFY_ENV);
  });
  afterAll(() => s.close());
  afterEach(() => vi.useRealTimers());

  it("records a firing when node-cron's own timer reaches the job's minute in Shanghai", async () => {
    const job = JOBS.find((j) => j.name === "notify.booking-reminders")!;
    const firingAt = shanghaiInstant("2027-03-01", "18:00");
    // node-cron's heartbeat is a setTimeout to its next match: fake the clock just before 18:00 Shanghai and let it run
    vi.useFakeTimers({ now: firingAt.getTime() - 2_000, toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"] });
    const stop = startScheduler({ ...s.deps, clock: () => new Date() }, [job]);
    try {
      const recorded = () => s.t.db.read((m) => m.findOneBy(JobFiring, { job: job.name }));
      await vi.advanceTimersByTimeAsync(1_000);
      expect(await recorded()).toBeNull(); // nothing before its minute (and nothing to catch up on a database where it never fired)
      await vi.advanceTimersByTimeAsync(2_000);
      await vi.waitFor(async () => expect((await recorded())?.finishedAt).toBeInstanceOf(Date), { timeout: 3_000, interval: 20 });
      const firing = (await recorded())!;
      expect(firing).toMatchObject({ attempt: 1, caughtUp: false, error: null });
      expect(firing.scheduledAt.toISOString()).toBe(firingAt.toISOString());
      expect(JSON.parse(firing.counts!)).toEqual({ bookings: 0, enqueued: 0 });
    } finally {
      stop();
    }
  });
});
