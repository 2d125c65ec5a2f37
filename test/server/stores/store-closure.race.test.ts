import { Between } from "typeorm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Booking, SlotUsage } from "../../../server/bookings/bookings.entity.js";
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
