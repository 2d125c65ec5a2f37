import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Booking, SlotUsage } from "../../../server/bookings/bookings.entity.js";
import { Member } from "../../../server/members/members.entity.js";
import { BenefitUsage } from "../../../server/tiers/tiers.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { at, giveCars, nextOpenDate } from "../../helpers/booking.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { createMembers } from "../../helpers/instances.js";

describe.each(DATABASE_KINDS)("closing a day or changing hours over existing bookings on %s", (kind) => {
  let s: TestApp;
  let manager: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    manager = (await s.loginStaff("manager", 1)).auth;
  });
  afterAll(() => s.close());

  async function book(prefix: string, start: string, extra: object = {}) {
    const [member] = await createMembers(s, 1, prefix);
    const [car] = await giveCars(s, [member.id]);
    const res = await s.http.post("/api/v1/bookings").set("Authorization", member.auth).set("Idempotency-Key", `${prefix}-booking`).send({ storeId: 1, serviceIds: [1], assetId: car, start, ...extra });
    expect(res.status).toBe(201);
    return { member, booking: res.body as { id: number; bookingNo: string } };
  }
  const bookingRow = (id: number) => s.t.dataSource.manager.findOneByOrFail(Booking, { id });
  const usage = async (start: string) => (await s.t.dataSource.manager.findOneBy(SlotUsage, { storeId: 1, bayKind: "lift", slotStart: new Date(start) }))?.booked ?? 0;

  it("refuses a closure over bookings and lists them; with the manager's choice the store cancels them with the reason and frees their places", async () => {
    const date = nextOpenDate(8);
    const start = at(date, "10:00");
    const { member, booking } = await book("clsa", start);
    await s.t.dataSource.manager.update(Member, { id: member.id }, { nickname: "张伟明", phone: "13812345678" });
    const refused = await s.http.post("/api/v1/staff/stores/1/closures").set("Authorization", manager).send({ date, reason: "设备检修" });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({
      code: "BOOKINGS_AFFECTED",
      details: { count: 1, bookings: [{ id: booking.id, bookingNo: booking.bookingNo, start, end: at(date, "11:00"), channel: "miniprogram", memberId: member.id, memberName: "张**", memberPhone: "138****5678" }] },
    });
    expect(refused.body.error.message).toMatch(/影响 1 个已有预约/);
    const setup = (await s.http.get("/api/v1/staff/stores/1/setup").set("Authorization", manager)).body;
    expect(setup.closures.map((c: { date: string }) => c.date)).not.toContain(date);
    expect((await bookingRow(booking.id)).status).toBe("booked");

    const noReason = await s.http.post("/api/v1/staff/stores/1/closures").set("Authorization", manager).send({ date, reason: "设备检修", cancelAffected: true });
    expect(noReason.status).toBe(400);

    const closed = await s.http.post("/api/v1/staff/stores/1/closures").set("Authorization", manager).send({ date, reason: "设备检修", cancelAffected: true, cancelReason: "门店设备检修，暂停营业一天" });
    expect(closed.status).toBe(201);
    expect(closed.body.cancelledBookings).toEqual([expect.objectContaining({ bookingNo: booking.bookingNo })]);
    expect(await bookingRow(booking.id)).toMatchObject({ status: "cancelled", cancelledBy: "store", cancelReason: "门店设备检修，暂停营业一天" });
    expect(await usage(start)).toBe(0);
    const seen = (await s.http.get(`/api/v1/me/bookings/${booking.id}`).set("Authorization", member.auth)).body;
    expect(seen).toMatchObject({ status: "cancelled", cancelledBy: "store", cancelReason: "门店设备检修，暂停营业一天" });
  });

  it("refuses shorter hours that leave a booking outside them, and cancels only those bookings when told to", async () => {
    const date = nextOpenDate(9);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const late = await book("clsb", at(date, "16:00"));
    const early = await book("clsc", at(date, "10:00"));
    const week = [1, 2, 3, 4, 5, 6].map((d) => ({ weekday: d, opensAt: "08:30", closesAt: d === weekday ? "15:00" : "18:00" }));
    const refused = await s.http.put("/api/v1/staff/stores/1/hours").set("Authorization", manager).send({ week });
    expect(refused.status).toBe(409);
    expect(refused.body.error.details.bookings.map((b: { id: number }) => b.id)).toEqual([late.booking.id]);
    const setup = (await s.http.get("/api/v1/staff/stores/1/setup").set("Authorization", manager)).body;
    expect(setup.week.find((d: { weekday: number }) => d.weekday === weekday).closesAt).toBe("18:00");

    const changed = await s.http.put("/api/v1/staff/stores/1/hours").set("Authorization", manager).send({ week, cancelAffected: true, cancelReason: "营业时间调整" });
    expect(changed.status).toBe(200);
    expect((await bookingRow(late.booking.id)).status).toBe("cancelled");
    expect((await bookingRow(early.booking.id)).status).toBe("booked");
    expect(await usage(at(date, "16:00"))).toBe(0);
    expect(await usage(at(date, "10:00"))).toBe(1);
  });

  it("gives back the pickup benefit a booking the store cancels had used", async () => {
    const date = nextOpenDate(10);
    const [member] = await createMembers(s, 1, "clsp");
    await s.t.dataSource.manager.update(Member, { id: member.id }, { tierCode: "gold" });
    const [car] = await giveCars(s, [member.id]);
    const booked = await s.http.post("/api/v1/bookings").set("Authorization", member.auth).set("Idempotency-Key", "clsp-booking").send({ storeId: 1, serviceIds: [1, 4], assetId: car, start: at(date, "09:00"), address: "上海市浦东新区世纪大道 100 号" });
    expect(booked.body.pickupBenefitUsed).toBe(true);
    const used = () => s.t.dataSource.manager.findOneByOrFail(BenefitUsage, { memberId: member.id, benefitCode: "pickup_delivery" });
    expect((await used()).used).toBe(1);
    const closed = await s.http.post("/api/v1/staff/stores/1/closures").set("Authorization", manager).send({ date, reason: "盘点", cancelAffected: true, cancelReason: "门店盘点停业" });
    expect(closed.status).toBe(201);
    expect((await used()).used).toBe(0);
    expect(await bookingRow(booked.body.id)).toMatchObject({ status: "cancelled", cancelledBy: "store" });
  });

  it("previews the bookings a closure or new hours would affect without changing anything; advisors may not", async () => {
    const date = nextOpenDate(11);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const { booking } = await book("clsv", at(date, "16:30"));
    const closure = await s.http.post("/api/v1/staff/stores/1/closures/preview").set("Authorization", manager).send({ date });
    expect(closure.status).toBe(200);
    expect(closure.body).toMatchObject({ count: 1, bookings: [expect.objectContaining({ id: booking.id, bookingNo: booking.bookingNo, memberName: "会**" })] });
    const free = await s.http.post("/api/v1/staff/stores/1/closures/preview").set("Authorization", manager).send({ date: nextOpenDate(40) });
    expect(free.body).toEqual({ count: 0, bookings: [] });
    const week = [1, 2, 3, 4, 5, 6].map((d) => ({ weekday: d, opensAt: "08:30", closesAt: d === weekday ? "17:00" : "18:00" }));
    const hours = await s.http.post("/api/v1/staff/stores/1/hours/preview").set("Authorization", manager).send({ week });
    expect(hours.status).toBe(200);
    expect(hours.body.bookings.map((b: { id: number }) => b.id)).toEqual([booking.id]);
    expect((await s.http.post("/api/v1/staff/stores/1/hours/preview").set("Authorization", manager).send({ week, cancelAffected: true })).status).toBe(400);
    const setup = (await s.http.get("/api/v1/staff/stores/1/setup").set("Authorization", manager)).body;
    expect(setup.closures.map((c: { date: string }) => c.date)).not.toContain(date);
    expect(setup.week.find((d: { weekday: number }) => d.weekday === weekday).closesAt).toBe("18:00");
    expect((await bookingRow(booking.id)).status).toBe("booked");
    const advisor = (await s.loginStaff("advisor", 1)).auth;
    expect((await s.http.post("/api/v1/staff/stores/1/closures/preview").set("Authorization", advisor).send({ date })).status).toBe(403);
    const otherManager = (await s.loginStaff("manager", 2)).auth;
    expect((await s.http.post("/api/v1/staff/stores/1/closures/preview").set("Authorization", otherManager).send({ date })).body.error.code).toBe("STORE_SCOPE_FORBIDDEN");
  });
});
