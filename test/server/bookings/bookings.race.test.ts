import { describe, expect, it } from "vitest";
import { Booking, SlotUsage } from "../../../server/bookings/bookings.entity.js";
import { Member } from "../../../server/members/members.entity.js";
import { PointsLedger } from "../../../server/points/points.entity.js";
import { ServiceRecord } from "../../../server/service-records/service-records.entity.js";
import { ServiceType } from "../../../server/stores/stores.entity.js";
import { at, giveCars, nextOpenDate } from "../../helpers/booking.js";
import { RACE_KINDS } from "../../helpers/databases.js";
import { createMembers, startTwoInstances } from "../../helpers/instances.js";

describe.each(RACE_KINDS)("booking the last places over two instances on %s", (kind) => {
  it("300 parallel bookings of the last 2 places of a slot: exactly 2 succeed", async () => {
    const x = await startTwoInstances(kind);
    try {
      const date = nextOpenDate(4);
      const start = at(date, "10:00");
      const members = await createMembers(x.s, 301, `race-bk-${kind}`);
      const cars = await giveCars(x.s, members.map((mm) => mm.id));
      const first = await x.call(0, "POST", "/api/v1/bookings", members[300].auth, { storeId: 1, serviceIds: [1], assetId: cars[300], start }, { "Idempotency-Key": "first-place-001" });
      expect(first.status).toBe(201); // 3 lifts: 2 places left
      const results = await Promise.all(
        members.slice(0, 300).map((mm, i) => x.call(i, "POST", "/api/v1/bookings", mm.auth, { storeId: 1, serviceIds: [1], assetId: cars[i], start }, { "Idempotency-Key": `race-${kind}-${i}-key` })),
      );
      expect(results.filter((r) => r.status === 201)).toHaveLength(2);
      expect(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.error.code === "SLOT_FULL")).toBe(true);
      const m = x.s.t.dataSource.manager;
      expect(await m.countBy(Booking, { storeId: 1, start: new Date(start), status: "booked" })).toBe(3);
      for (const half of ["10:00", "10:30"]) expect((await m.findOneByOrFail(SlotUsage, { storeId: 1, bayKind: "lift", slotStart: new Date(at(date, half)) })).booked).toBe(3);
    } finally {
      await x.close();
    }
  }, 120_000);

  it("one booking completed 20 times in parallel gets one service record and one credit", async () => {
    const x = await startTwoInstances(kind);
    try {
      const [member] = await createMembers(x.s, 1, `race-done-${kind}`);
      const [car] = await giveCars(x.s, [member.id]);
      const advisor = (await x.s.loginStaff("advisor", 1)).auth;
      const booking = (await x.call(0, "POST", "/api/v1/bookings", member.auth, { storeId: 1, serviceIds: [1], assetId: car, start: at(nextOpenDate(3), "10:00") }, { "Idempotency-Key": `done-${kind}-key` })).body;
      for (const step of ["check-in", "start"]) expect((await x.call(0, "POST", `/api/v1/staff/bookings/${booking.id}/${step}`, advisor, step === "check-in" ? { mileage: 20_000 } : {})).status).toBe(200);
      const body = { items: [{ name: "保养工时", kind: "labour", amountFen: 20_000 }], mileage: 20_010 };
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => x.call(i, "POST", `/api/v1/staff/bookings/${booking.id}/complete`, advisor, body)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status !== 200).every((r) => r.body.error.code === "BOOKING_STATUS_CONFLICT")).toBe(true);
      const m = x.s.t.dataSource.manager;
      expect(await m.countBy(ServiceRecord, { bookingId: booking.id })).toBe(1);
      expect(await m.countBy(PointsLedger, { memberId: member.id })).toBe(1);
      expect((await m.findOneByOrFail(Member, { id: member.id })).pointsBalance).toBe(200);

      const recordId = results.find((r) => r.status === 200)!.body.record.id;
      const ratings = await Promise.all(Array.from({ length: 20 }, (_, i) => x.call(i, "POST", `/api/v1/me/service-records/${recordId}/rating`, member.auth, { score: 5 })));
      expect(ratings.filter((r) => r.status === 200)).toHaveLength(1);
      expect(ratings.filter((r) => r.status !== 200).every((r) => r.body.error.code === "ALREADY_RATED")).toBe(true);
      expect((await m.findOneByOrFail(Member, { id: member.id })).pointsBalance).toBe(250);
    } finally {
      await x.close();
    }
  }, 120_000);

  it("20 parallel cancels of one booking give its place back once", async () => {
    const x = await startTwoInstances(kind);
    try {
      const members = await createMembers(x.s, 2, `race-cancel-${kind}`);
      const cars = await giveCars(x.s, members.map((mm) => mm.id));
      const start = at(nextOpenDate(3), "14:00");
      const bookings: { id: number }[] = [];
      for (const [i, mm] of members.entries()) bookings.push((await x.call(0, "POST", "/api/v1/bookings", mm.auth, { storeId: 1, serviceIds: [1], assetId: cars[i], start }, { "Idempotency-Key": `cancel-${kind}-${i}-k` })).body);
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => x.call(i, "POST", `/api/v1/me/bookings/${bookings[0].id}/cancel`, members[0].auth)));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status !== 200).every((r) => r.body.error.code === "BOOKING_STATUS_CONFLICT")).toBe(true);
      expect((await x.s.t.dataSource.manager.findOneByOrFail(SlotUsage, { storeId: 1, bayKind: "lift", slotStart: new Date(start) })).booked).toBe(1);
    } finally {
      await x.close();
    }
  }, 120_000);

  it("parallel reschedules into one last place: one wins, and every count matches the bookings", async () => {
    const x = await startTwoInstances(kind);
    try {
      const date = nextOpenDate(5);
      const members = await createMembers(x.s, 42, `race-mv-${kind}`);
      // by code: a Galera cluster interleaves auto-increment ids across its nodes
      const inspection = (await x.s.t.dataSource.manager.findOneByOrFail(ServiceType, { code: "inspection" })).id;
      const cars = await giveCars(x.s, members.map((mm) => mm.id));
      const bookAt = (i: number, time: string) => x.call(i, "POST", "/api/v1/bookings", members[i].auth, { storeId: 1, serviceIds: [inspection], assetId: cars[i], start: at(date, time) }, { "Idempotency-Key": `mv-${kind}-${i}-key` });
      const firstBooking = await bookAt(0, "15:00");
      expect(firstBooking.status, JSON.stringify(firstBooking.body)).toBe(201); // 1 inspection bay: 15:00 now has no place left
      const movers = [];
      for (let i = 1; i <= 40; i++) movers.push((await bookAt(i, ["09:00", "09:30", "10:00", "10:30", "11:00", "11:30", "12:00", "12:30", "13:00", "13:30", "14:00", "14:30", "16:00", "16:30", "17:00", "17:30"][i % 16])).body);
      const ok = movers.filter((b) => b.id);
      await x.call(0, "POST", `/api/v1/me/bookings/${(await x.s.t.dataSource.manager.findOneByOrFail(Booking, { memberId: members[0].id })).id}/cancel`, members[0].auth);
      const results = await Promise.all(ok.map((b, i) => x.call(i, "POST", `/api/v1/me/bookings/${b.id}/reschedule`, members[members.findIndex((mm) => mm.id === b.memberId)].auth, { start: at(date, "15:00") })));
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      expect(results.filter((r) => r.status !== 200).every((r) => r.body.error.code === "SLOT_FULL")).toBe(true);
      const m = x.s.t.dataSource.manager;
      const active = await m.findBy(Booking, { storeId: 1, bayKind: "inspection", status: "booked" });
      const usage = await m.findBy(SlotUsage, { storeId: 1, bayKind: "inspection" });
      for (const row of usage) expect(row.booked).toBe(active.filter((b) => b.start.getTime() === row.slotStart.getTime()).length);
    } finally {
      await x.close();
    }
  }, 120_000);
});
