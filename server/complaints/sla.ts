import type { EntityManager } from "typeorm";
import type { ComplaintsConfig } from "../config.js";
import { todayInShanghai } from "../http/time.js";
import { addCalendarDays, openingWindow } from "../stores/calendar.js";
import { Store } from "../stores/stores.entity.js";
import type { Complaint } from "./complaints.entity.js";

const HOUR_MS = 3_600_000;
/** how far a business-hours clock looks for opening hours before it gives up and counts calendar time */
const MAX_DAYS = 400;

/** How SLA time is counted: every hour (calendar) or only while the store is open (business). */
export interface SlaClock {
  /** the instant `ms` of SLA time after `from` */
  add(from: Date, ms: number): Promise<Date>;
  /** SLA time between two instants (0 when `to` is not after `from`) */
  between(from: Date, to: Date): Promise<number>;
}

const calendarClock: SlaClock = {
  add: async (from, ms) => new Date(from.getTime() + ms),
  between: async (from, to) => Math.max(0, to.getTime() - from.getTime()),
};

/** Business hours from the store's calendar (weekly hours, closures, statutory holidays); windows are read once per day. */
function businessClock(m: EntityManager, store: Pick<Store, "id" | "closedOnHolidays">): SlaClock {
  const windows = new Map<string, Promise<{ opens: number; closes: number } | null>>();
  const windowOf = (date: string) => {
    let w = windows.get(date);
    if (!w) {
      w = openingWindow(m, store, date).then((o) => (o.open ? { opens: o.opens.getTime(), closes: o.closes.getTime() } : null));
      windows.set(date, w);
    }
    return w;
  };
  return {
    async add(from, ms) {
      let left = ms;
      let day = todayInShanghai(from);
      for (let i = 0; i < MAX_DAYS; i++, day = addCalendarDays(day, 1)) {
        const w = await windowOf(day);
        if (!w) continue;
        const start = Math.max(from.getTime(), w.opens);
        if (start >= w.closes) continue;
        if (left <= w.closes - start) return new Date(start + left);
        left -= w.closes - start;
      }
      return calendarClock.add(from, ms); // a store that never opens: count calendar time rather than never falling due
    },
    async between(from, to) {
      if (to <= from) return 0;
      let total = 0;
      let day = todayInShanghai(from);
      const last = todayInShanghai(to);
      for (let i = 0; i < MAX_DAYS && day <= last; i++, day = addCalendarDays(day, 1)) {
        const w = await windowOf(day);
        if (w) total += Math.max(0, Math.min(to.getTime(), w.closes) - Math.max(from.getTime(), w.opens));
      }
      return total;
    },
  };
}

/** The clock a store's complaints are measured by. */
export async function slaClockFor(m: EntityManager, config: ComplaintsConfig, storeId: number): Promise<SlaClock> {
  if (config.slaClock === "calendar") return calendarClock;
  const store = await m.findOneBy(Store, { id: storeId });
  return store ? businessClock(m, store) : calendarClock;
}

/** SLA hours for a complaint: the major figures, else its category's, else the defaults. */
export function slaHours(config: ComplaintsConfig, category: string, severity: Complaint["severity"]) {
  return severity === "major" ? config.majorSla : (config.categorySla[category] ?? config.sla);
}

/** Due and 80 % warning instants of the first response and the resolution, counted from `from`. */
export async function dueTimes(clock: SlaClock, hours: { first: number; resolution: number }, from: Date) {
  return {
    firstResponseDueAt: await clock.add(from, hours.first * HOUR_MS),
    firstResponseWarnAt: await clock.add(from, hours.first * HOUR_MS * 0.8),
    resolutionDueAt: await clock.add(from, hours.resolution * HOUR_MS),
    resolutionWarnAt: await clock.add(from, hours.resolution * HOUR_MS * 0.8),
  };
}

type Dues = Pick<Complaint, "firstResponseDueAt" | "firstResponseWarnAt" | "resolutionDueAt" | "resolutionWarnAt">;

/** After a pause (waiting for the customer) from pausedAt to now: each due still ahead at the pause moves by the paused SLA time. */
export async function resumedDues(clock: SlaClock, c: Dues & Pick<Complaint, "firstRespondedAt">, pausedAt: Date, now: Date): Promise<Partial<Dues>> {
  const moved: Partial<Dues> = {};
  const keys: (keyof Dues)[] = ["resolutionDueAt", "resolutionWarnAt", ...(c.firstRespondedAt ? [] : (["firstResponseDueAt", "firstResponseWarnAt"] as const))];
  for (const key of keys) {
    if (c[key] <= pausedAt) continue;
    moved[key] = await clock.add(now, await clock.between(pausedAt, c[key]));
  }
  return moved;
}
