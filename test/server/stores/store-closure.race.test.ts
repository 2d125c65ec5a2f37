import { Between } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Booking, SlotUsage } from "../../../server/bookings/bookings.entity.js";
import { addCalendarDays, dayKind } from "../../../server/stores/calendar.js";
import { todayInShanghai } from "../../../server/http/time.js";
import { at, giveCars, nextOpenDate } from "../../helpers/booking.js";
import { RACE_KINDS } from "../../helpers/databases.js";
import { createMembers, startTwoInstances, type TwoInstances } from "../../helpers/instances.js";

const STARTS = ["09:00", "10:00", "11:00", "12:00", "13:00", "14:00", "15:00", "16:00"]; // 3 lifts: 24 places a day
const PER_DAY = 24;
/** bookings of its day answered before each day's closure is sent: the closure lands before, among and after them */
const CLOSE_AFTER = [0, 1, 2, 4, 6, 8, 10, 12, 16, 20, 23, 24];

// On Galera the two instances talk to two different nodes: a closure on one and bookings on the other.
describe.each(RACE_KINDS)("closures racing new bookings over two instances on %s", (kind) => {
  let x: TwoInstances;
  let manager: string;
  beforeAll(async () => {
    x = await startTwoInstances(kind);
    manager = (await x.s.loginStaff("manager", 1)).auth;
  });
  afterAll(() => x.close());

  it(`${CLOSE_AFTER.length} days closed while ${CLOSE_AFTER.length * PER_DAY} members book them, all at once: no booking is left on a closed day, each one was either refused or listed and cancelled by its closure, never a 500`, async () => {
    const members = await createMembers(x.s, PER_DAY * CLOSE_AFTER.length, `clsr-${kind}`);
    const cars = await giveCars(x.s, members.map((m) => m.id));
    const dates: string[] = [];
    for (let ahead = 3; dates.length < CLOSE_AFTER.length; ahead = dates.length ? 1 : 3) dates.push(nextOpenDate(ahead, dates.length ? new Date(at(dates[dates.length - 1], "12:00")) : new Date()));
    let sent = 0;
    const days = CLOSE_AFTER.map(async (after, d) => {
      const date = dates[d];
      let answered = 0;
      let go = () => {};
      const ready = new Promise<void>((resolve) => (go = resolve));
      if (after === 0) go();
      const bookings = members.slice(d * PER_DAY, (d + 1) * PER_DAY).map((member, i) =>
        x
          .call(sent++, "POST", "/api/v1/bookings", member.auth, { storeId: 1, serviceIds: [1], assetId: cars[d * PER_DAY + i], start: at(date, STARTS[i % STARTS.length]) }, { "Idempotency-Key": `clsr-${kind}-${d}-${i}` })
          .then((r) => (++answered === after && go(), r)),
      );
      await ready;
      const closure = await x.call(d, "POST", "/api/v1/staff/stores/1/closures", manager, { date, reason: "临时停电", cancelAffected: true, cancelReason: "门店临时停电，暂停营业" });
      return { date, closure, results: await Promise.all(bookings) };
    });
    const m = x.s.t.dataSource.manager;
    for (const { date, closure, results } of await Promise.all(days)) {
      const day = Between(new Date(at(date, "00:00")), new Date(at(date, "23:30")));
      expect(closure.status, JSON.stringify(closure.body)).toBe(201);
      const unexpected = results.filter((r) => !(r.status === 201 || (r.status === 409 && r.body.error.code === "STORE_CLOSED")));
      expect(unexpected.map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
      const rows = await m.findBy(Booking, { storeId: 1, start: day });
      expect(rows.filter((b) => b.status === "booked")).toEqual([]);
      expect(rows.every((b) => b.status === "cancelled" && b.cancelledBy === "store")).toBe(true);
      expect(rows).toHaveLength(results.filter((r) => r.status === 201).length);
      // every booking the store cancelled is in the list the closure answered, and nothing else is
      const listed = (closure.body.cancelledBookings as { bookingNo: string }[]).map((b) => b.bookingNo).sort();
      expect(listed).toEqual(rows.map((b) => b.bookingNo).sort());
      expect((await m.findBy(SlotUsage, { storeId: 1, slotStart: day })).every((u) => u.booked === 0)).toBe(true);
    }
  }, 300_000);
});

describe.each(RACE_KINDS)("shorter hours racing new bookings over two instances on %s", (kind) => {
  it("three weekdays shortened to 12:00 in turn while 96 members book each of them: every late booking is refused or listed and cancelled by the change, the early ones stay", async () => {
    const x = await startTwoInstances(kind);
    try {
      const manager = (await x.s.loginStaff("manager", 1)).auth;
      // the change sent just before the bookings, with them, and after 40 of them were answered
      const rounds = [{ weekday: 2, after: -1 }, { weekday: 3, after: 0 }, { weekday: 4, after: 40 }];
      const datesOf = (weekday: number) =>
        Array.from({ length: 28 }, (_, i) => addCalendarDays(todayInShanghai(), 3 + i)).filter((d) => new Date(`${d}T00:00:00Z`).getUTCDay() === weekday && dayKind(d) === "normal").slice(0, 4);
      const perRound = 4 * PER_DAY;
      const members = await createMembers(x.s, perRound * rounds.length, `hrsr-${kind}`);
      const cars = await giveCars(x.s, members.map((m) => m.id));
      const m = x.s.t.dataSource.manager;
      const short = new Set<number>();
      for (const [r, { weekday, after }] of rounds.entries()) {
        const dates = datesOf(weekday);
        short.add(weekday);
        const week = [1, 2, 3, 4, 5, 6].map((d) => ({ weekday: d, opensAt: "08:30", closesAt: short.has(d) ? "12:00" : "18:00" }));
        let answered = 0;
        let go = () => {};
        const ready = new Promise<void>((resolve) => (go = resolve));
        const sendChange = () => x.call(r, "PUT", "/api/v1/staff/stores/1/hours", manager, { week, cancelAffected: true, cancelReason: "营业时间调整" });
        const early = after < 0 ? sendChange() : null;
        if (after <= 0) go();
        const bookings = dates.flatMap((date, d) =>
          STARTS.flatMap((start) => [0, 1, 2].map((lift) => ({ date, start, i: r * perRound + d * PER_DAY + STARTS.indexOf(start) * 3 + lift }))),
        ).map(({ date, start, i }) =>
          x
            .call(i, "POST", "/api/v1/bookings", members[i].auth, { storeId: 1, serviceIds: [1], assetId: cars[i], start: at(date, start) }, { "Idempotency-Key": `hrsr-${kind}-${i}` })
            .then((res) => (++answered === after && go(), { ...res, late: start >= "12:00" })),
        );
        await ready;
        const change = await (early ?? sendChange());
        const results = await Promise.all(bookings);
        expect(change.status, JSON.stringify(change.body)).toBe(200);
        const unexpected = results.filter((res) => !(res.status === 201 || (res.late && res.status === 409 && res.body.error.code === "STORE_CLOSED")));
        expect(unexpected.map((res) => `${res.status} ${JSON.stringify(res.body)}`)).toEqual([]);
        const rows = await m.findBy(Booking, dates.map((date) => ({ storeId: 1, start: Between(new Date(at(date, "00:00")), new Date(at(date, "23:30"))) })));
        const late = rows.filter((b) => b.end > new Date(at(todayInShanghai(b.start), "12:00")));
        expect(rows).toHaveLength(results.filter((res) => res.status === 201).length);
        expect(late.every((b) => b.status === "cancelled" && b.cancelledBy === "store")).toBe(true);
        expect(rows.filter((b) => !late.includes(b)).every((b) => b.status === "booked")).toBe(true);
        expect((change.body.cancelledBookings as { bookingNo: string }[]).map((b) => b.bookingNo).sort()).toEqual(late.map((b) => b.bookingNo).sort());
        for (const date of dates) {
          for (const u of await m.findBy(SlotUsage, { storeId: 1, slotStart: Between(new Date(at(date, "00:00")), new Date(at(date, "23:30"))) })) {
            expect(u.booked).toBe(rows.filter((b) => b.status === "booked" && b.bayKind === u.bayKind && b.start <= u.slotStart && b.end > u.slotStart).length);
          }
        }
      }
    } finally {
      await x.close();
    }
  }, 300_000);
});
