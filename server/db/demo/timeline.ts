import { AppError } from "../../http/app-error.js";
import { shanghaiInstant } from "../../stores/calendar.js";

/** Refusals the real services give that the history accepts as part of the story (a suspended member, a coupon gone, too few points). */
const TOLERATED = new Set(["SLOT_FULL", "BOOKING_SUSPENDED", "COUPON_OUT_OF_STOCK", "COUPON_LIMIT_REACHED", "COUPON_TIER_RESTRICTED", "POINTS_INSUFFICIENT"]);

interface DemoEvent {
  at: Date;
  seq: number;
  /** it may write points rows, whose times the services take from the wall clock (see loyalty.ts) */
  stamp: boolean;
  run: (at: Date) => Promise<void>;
}

/** The history as events at past instants, played in time order through the real services, each with its instant as `now`. */
export class Timeline {
  private events: DemoEvent[] = [];
  refused = 0;

  add(at: Date, run: (at: Date) => Promise<void>, stamp = false): void {
    this.events.push({ at, seq: this.events.length, stamp, run });
  }

  /** Plays every event up to `until`; `afterStamp` runs after each event that may have written points rows. */
  async play(until: Date, afterStamp: (at: Date) => Promise<void>): Promise<number> {
    const due = this.events.filter((e) => e.at <= until).sort((a, b) => a.at.getTime() - b.at.getTime() || a.seq - b.seq);
    for (const event of due) {
      try {
        await event.run(event.at);
      } catch (err) {
        if (!(err instanceof AppError && TOLERATED.has(err.code))) throw err;
        this.refused++;
      }
      if (event.stamp) await afterStamp(event.at);
    }
    return due.length;
  }
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const plusMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * MINUTE);
/** An instant on a Shanghai date at HH:MM. */
export const on = (date: string, time: string) => shanghaiInstant(date, time);
export const hhmm = (hours: number, minutes: number) => `${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")}`;
