import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Booking, SlotUsage } from "../../../server/bookings/bookings.entity.js";
import { cancelBooking, rescheduleBooking } from "../../../server/bookings/bookings.service.js";
import { markNoShow } from "../../../server/bookings/staff-bookings.service.js";
import { Member } from "../../../server/members/members.entity.js";
import { BenefitUsage } from "../../../server/tiers/tiers.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { at, giveCars, nextOpenDate } from "../../helpers/booking.js";
import { PointsLedger } from "../../../server/points/points.entity.js";
import { ServiceRecord } from "../../../server/service-records/service-records.entity.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("member bookings on %s", (kind) => {
  let s: TestApp;
  const date = nextOpenDate(3);
  let keySeq = 0;
  beforeAll(async () => {
    s = await startTestApp(kind);
  });
  afterAll(() => s.close());

  async function memberWithCar(openid: string) {
    const login = await s.loginMember(openid, 1);
    const car = await s.http.post("/api/v1/me/assets").set("Authorization", login.auth).send({ plate: `沪B${String(10000 + ++keySeq).slice(-5)}`, model: "星途 揽月" }).expect(201);
    return { ...login, assetId: car.body.id as number };
  }
  const book = (auth: string, body: Record<string, unknown>, key = `booking-key-${++keySeq}`) => s.http.post("/api/v1/bookings").set("Authorization", auth).set("Idempotency-Key", key).send(body);
  const booked = (start: string, bayKind = "lift") => s.t.dataSource.manager.findOneBy(SlotUsage, { storeId: 1, bayKind, slotStart: new Date(start) });

  it("books a slot GET /slots offered, and a retry with the same key returns the same booking", async () => {
    const { auth, assetId } = await memberWithCar("bk-1");
    const offered = await s.http.get(`/api/v1/slots?storeId=1&date=${date}&serviceIds=1,3`).expect(200);
    expect(offered.body.durationMinutes).toBe(90);
    const start = offered.body.slots[2].start;
    const body = { storeId: 1, serviceIds: [1, 3], assetId, start, note: "机油灯亮" };
    const first = await book(auth, body, "retry-key-0001").expect(201);
    expect(first.body).toMatchObject({ status: "booked", start, end: new Date(Date.parse(start) + 90 * 60_000).toISOString(), services: [{ name: "保养" }, { name: "检测" }], note: "机油灯亮" });
    expect(first.body.bookingNo).toMatch(/^BK\d{8}[2-9A-Z]{6}$/);
    const retry = await book(auth, body, "retry-key-0001").expect(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(await s.t.dataSource.manager.countBy(Booking, { memberId: first.body.memberId })).toBe(1);
    expect((await booked(start))!.booked).toBe(1);
    expect((await booked(new Date(Date.parse(start) + 60 * 60_000).toISOString()))!.booked).toBe(1);
    const after = await s.http.get(`/api/v1/slots?storeId=1&date=${date}&serviceIds=1`).expect(200);
    expect(after.body.slots.find((x: { start: string }) => x.start === start).available).toBe(2);
    const mine = await s.http.get("/api/v1/me/bookings?scope=upcoming").set("Authorization", auth).expect(200);
    expect(mine.body.items.map((b: { id: number }) => b.id)).toEqual([first.body.id]);
  });

  it.each([
    [{ start: "T09:15" }, 400, "BOOKING_START_INVALID"],
    [{ start: "T07:00" }, 409, "STORE_CLOSED"],
    [{ start: "T17:30" }, 409, "STORE_CLOSED"],
    [{ serviceIds: [1, 4] }, 400, "VALIDATION_FAILED"],
    [{ serviceIds: [99] }, 400, "SERVICE_UNKNOWN"],
    [{ storeId: 99 }, 400, "STORE_NOT_FOUND"],
    [{ extra: true }, 400, "VALIDATION_FAILED"],
  ])("refuses %j with a code and books nothing", async (change, status, code) => {
    const { auth, assetId, member } = await memberWithCar(`bk-bad-${code}-${status}`);
    const { start, ...rest } = change as { start?: string };
    const body = { storeId: 1, serviceIds: [1], assetId, start: start ? at(date, start.slice(1)) : at(date, "10:00"), ...rest };
    const res = await book(auth, body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(await s.t.dataSource.manager.countBy(Booking, { memberId: member.id })).toBe(0);
  });

  it("needs an Idempotency-Key and the member's own car", async () => {
    const a = await memberWithCar("bk-own-a");
    const b = await memberWithCar("bk-own-b");
    const noKey = await s.http.post("/api/v1/bookings").set("Authorization", a.auth).send({ storeId: 1, serviceIds: [1], assetId: a.assetId, start: at(date, "11:00") });
    expect(noKey.body.error.code).toBe("IDEMPOTENCY_KEY_REQUIRED");
    const otherCar = await book(a.auth, { storeId: 1, serviceIds: [1], assetId: b.assetId, start: at(date, "11:00") });
    expect(otherCar.status).toBe(404);
  });

  it("hides one member's bookings from another", async () => {
    const a = await memberWithCar("bk-idor-a");
    const b = await memberWithCar("bk-idor-b");
    const booking = (await book(a.auth, { storeId: 1, serviceIds: [1], assetId: a.assetId, start: at(date, "14:00") }).expect(201)).body;
    expect((await s.http.get(`/api/v1/me/bookings/${booking.id}`).set("Authorization", b.auth)).status).toBe(404);
    expect((await s.http.post(`/api/v1/me/bookings/${booking.id}/cancel`).set("Authorization", b.auth)).status).toBe(404);
    expect((await s.http.get(`/api/v1/me/bookings/${booking.id}`).set("Authorization", a.auth)).status).toBe(200);
  });

  it("reschedules by releasing the old place and taking the new one, and cancels giving the place back", async () => {
    const { auth, assetId } = await memberWithCar("bk-move");
    const booking = (await book(auth, { storeId: 1, serviceIds: [1], assetId, start: at(date, "15:00") }).expect(201)).body;
    const before = (await booked(at(date, "15:00")))!.booked;
    const moved = await s.http.post(`/api/v1/me/bookings/${booking.id}/reschedule`).set("Authorization", auth).send({ start: at(date, "16:00") }).expect(200);
    expect(moved.body).toMatchObject({ start: at(date, "16:00"), end: at(date, "17:00") });
    expect((await booked(at(date, "15:00")))!.booked).toBe(before - 1);
    expect((await booked(at(date, "16:00")))!.booked).toBe(1);
    await s.http.post(`/api/v1/me/bookings/${booking.id}/cancel`).set("Authorization", auth).expect(200);
    expect((await booked(at(date, "16:00")))!.booked).toBe(0);
    const again = await s.http.post(`/api/v1/me/bookings/${booking.id}/cancel`).set("Authorization", auth);
    expect(again.body.error.code).toBe("BOOKING_STATUS_CONFLICT");
  });

  it("refuses to reschedule or cancel within 2 hours of the start", async () => {
    const { auth, assetId, member } = await memberWithCar("bk-cutoff");
    const booking = (await book(auth, { storeId: 1, serviceIds: [1], assetId, start: at(date, "09:00") }).expect(201)).body;
    const late = new Date(Date.parse(booking.start) - 119 * 60_000);
    await expect(cancelBooking(s.t.db, s.config, member.id, booking.id, late)).rejects.toMatchObject({ code: "BOOKING_CHANGE_TOO_LATE" });
    await expect(rescheduleBooking(s.t.db, s.config, member.id, booking.id, at(date, "12:00"), late)).rejects.toMatchObject({ code: "BOOKING_CHANGE_TOO_LATE" });
    const inTime = new Date(Date.parse(booking.start) - 121 * 60_000);
    await expect(cancelBooking(s.t.db, s.config, member.id, booking.id, inTime)).resolves.toMatchObject({ status: "cancelled" });
  });

  it("suspends online booking for 30 days after 3 no-shows in 90 days, saying until when", async () => {
    const { auth, assetId, member } = await memberWithCar("bk-noshow");
    const advisor = await s.loginStaff("advisor", 1);
    const staff = { id: advisor.id, username: advisor.username, name: "x", role: "advisor" as const, storeId: 1 };
    for (const time of ["09:30", "10:30", "11:30"]) {
      const booking = (await book(auth, { storeId: 1, serviceIds: [3], assetId, start: at(date, time) }).expect(201)).body;
      await expect(s.t.db.tx((m) => markNoShow(m, staff, booking.id, new Date(Date.parse(booking.start) - 60_000)))).rejects.toMatchObject({ code: "BOOKING_NOT_STARTED" });
      await s.t.db.tx((m) => markNoShow(m, staff, booking.id, new Date(Date.parse(booking.start) + 30 * 60_000)));
    }
    const until = (await s.t.dataSource.manager.findOneByOrFail(Member, { id: member.id })).bookingSuspendedUntil!;
    expect(until.getTime() - Date.parse(at(date, "11:30"))).toBeGreaterThan(29 * 86_400_000);
    const refused = await book(auth, { storeId: 1, serviceIds: [1], assetId, start: at(date, "13:00") });
    expect(refused.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: "BOOKING_SUSPENDED", details: { until: until.toISOString() } });
    expect(refused.body.error.message).toMatch(/在线预约已暂停至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
  });

  it("uses a gold member's pickup benefit when one is left, and gives it back on cancel", async () => {
    const { auth, assetId, member } = await memberWithCar("bk-pickup");
    await s.t.dataSource.manager.update(Member, { id: member.id }, { tierCode: "gold" });
    const noAddress = await book(auth, { storeId: 1, serviceIds: [1, 4], assetId, start: at(date, "10:00") });
    expect(noAddress.body.error.details[0].field).toBe("address");
    const first = (await book(auth, { storeId: 1, serviceIds: [1, 4], assetId, start: at(date, "10:00"), address: "上海市浦东新区世纪大道 100 号" }).expect(201)).body;
    expect(first).toMatchObject({ pickupBenefitUsed: true, address: "上海市浦东新区世纪大道 100 号" });
    const second = (await book(auth, { storeId: 1, serviceIds: [1, 4], assetId, start: at(date, "13:30"), address: "上海市浦东新区世纪大道 100 号" }).expect(201)).body;
    expect(second.pickupBenefitUsed).toBe(false);
    await s.http.post(`/api/v1/me/bookings/${first.id}/cancel`).set("Authorization", auth).expect(200);
    expect((await s.t.dataSource.manager.findOneByOrFail(BenefitUsage, { memberId: member.id, benefitCode: "pickup_delivery" })).used).toBe(0);
  });
});
