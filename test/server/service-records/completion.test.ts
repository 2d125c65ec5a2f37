import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Asset } from "../../../server/assets/assets.entity.js";
import { lateBookings } from "../../../server/bookings/staff-bookings.service.js";
import { todayInShanghai } from "../../../server/http/time.js";
import { Member } from "../../../server/members/members.entity.js";
import { nextDue } from "../../../server/service-records/due.js";
import { Technician } from "../../../server/stores/stores.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { at, nextOpenDate } from "../../helpers/booking.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

const DAY = 86_400_000;

describe.each(DATABASE_KINDS)("from check-in to completion on %s", (kind) => {
  let s: TestApp;
  let advisor: { auth: string; id: number; username: string };
  const date = nextOpenDate(2);
  let seq = 0;
  beforeAll(async () => {
    s = await startTestApp(kind);
    advisor = await s.loginStaff("advisor", 1);
  });
  afterAll(() => s.close());

  async function bookedVisit(openid: string, serviceIds: number[], time: string, car: Record<string, unknown> = {}) {
    const { auth, member } = await s.loginMember(openid, 1);
    const purchaseDate = todayInShanghai(new Date(Date.now() - 183 * DAY));
    const asset = (await s.http.post("/api/v1/me/assets").set("Authorization", auth).send({ plate: `苏A${String(20000 + ++seq)}`, model: "星途 揽月", purchaseDate, mileage: 18000, ...car }).expect(201)).body;
    const booking = (await s.http.post("/api/v1/bookings").set("Authorization", auth).set("Idempotency-Key", `visit-${openid}-key`).send({ storeId: 1, serviceIds, assetId: asset.id, start: at(date, time) }).expect(201)).body;
    return { auth, member, asset, booking };
  }
  const act = (bookingId: number, action: string, body: Record<string, unknown> = {}, auth = advisor.auth) => s.http.post(`/api/v1/staff/bookings/${bookingId}/${action}`).set("Authorization", auth).send(body);

  it("runs the visit: schedule, check-in with mileage, least-loaded technician, ready, completion with record, points and next due", async () => {
    const { auth, member, asset, booking } = await bookedVisit("visit-1", [1, 2], "09:00");
    await s.t.dataSource.manager.update(Member, { id: member.id }, { tierCode: "gold", phone: "13812345678" });

    const schedule = await s.http.get(`/api/v1/staff/bookings?date=${date}`).set("Authorization", advisor.auth).expect(200);
    expect(schedule.body.find((b: { id: number }) => b.id === booking.id)).toMatchObject({ statusName: "已预约", memberPhone: "138****5678", plate: asset.plate });

    await act(booking.id, "confirm").expect(200);
    expect((await act(booking.id, "check-in", { mileage: 17000 })).body.error.code).toBe("MILEAGE_DECREASED");
    const checkedIn = await act(booking.id, "check-in", { mileage: 18300 }).expect(200);
    expect(checkedIn.body).toMatchObject({ status: "checked_in", checkInMileage: 18300 });
    expect((await act(booking.id, "complete", { items: [{ name: "x", kind: "labour", amountFen: 1 }], mileage: 18300 })).body.error.code).toBe("BOOKING_STATUS_CONFLICT");

    const started = await act(booking.id, "start").expect(200);
    const technicians = await s.t.dataSource.manager.findBy(Technician, { storeId: 1 });
    const able = technicians.filter((t) => t.skills.includes("maintenance") && t.skills.includes("repair"));
    expect(able.map((t) => t.id)).toContain(started.body.technicianId);
    const second = await bookedVisit("visit-2", [1, 2], "13:00");
    const assigned = await act(second.booking.id, "assign").expect(200);
    expect(assigned.body.technicianId).not.toBe(started.body.technicianId);
    expect(able.map((t) => t.id)).toContain(assigned.body.technicianId);

    await act(booking.id, "ready").expect(200);
    const done = await act(booking.id, "complete", {
      items: [
        { name: "更换机油机滤", kind: "labour", amountFen: 50_000 },
        { name: "全合成机油 4L", kind: "part", amountFen: 15_000, quantity: 2 },
      ],
      mileage: 18_350,
    }).expect(200);
    // labour ¥500 less gold's 10 % = ¥450, parts ¥300: ¥750 paid; repair ×1, gold ×1.2 → 900 points
    expect(done.body.record).toMatchObject({ labourFen: 50_000, partsFen: 30_000, discountFen: 5_000, amountFen: 75_000, mileage: 18_350, pointsEarned: 900, technicianId: started.body.technicianId });
    expect(done.body.pointsBalance).toBe(900);
    // 18 350 km in 183 days ≈ 100 km a day: 5 000 km come after ~50 days, long before 6 months
    expect(done.body.nextDue.nextDueMileage).toBe(23_350);
    const dueIn = (Date.parse(done.body.nextDue.nextDueDate) - Date.parse(todayInShanghai())) / DAY;
    expect(dueIn).toBeGreaterThanOrEqual(48);
    expect(dueIn).toBeLessThanOrEqual(51);

    const car = (await s.http.get(`/api/v1/me/assets/${asset.id}`).set("Authorization", auth).expect(200)).body;
    expect(car).toMatchObject({ mileage: 18_350, nextDueDate: done.body.nextDue.nextDueDate, nextDueMileage: 23_350 });
    expect(car.lastServiceAt).not.toBeNull();
    const records = (await s.http.get(`/api/v1/me/assets/${asset.id}/records`).set("Authorization", auth).expect(200)).body;
    expect(records).toEqual([expect.objectContaining({ id: done.body.record.id, amountFen: 75_000, items: expect.arrayContaining([expect.objectContaining({ name: "更换机油机滤" })]) })]);
    const history = (await s.http.get("/api/v1/me/points").set("Authorization", auth).expect(200)).body;
    expect(history.items[0].reasonText).toBe(`维修消费 ¥750.00（单号 ${booking.bookingNo}）`);
    expect((await s.http.get(`/api/v1/me/bookings/${booking.id}`).set("Authorization", auth)).body.status).toBe("completed");
    expect((await act(booking.id, "complete", { items: [{ name: "x", kind: "labour", amountFen: 1 }], mileage: 18_400 })).body.error.code).toBe("BOOKING_STATUS_CONFLICT");

    const rated = await s.http.post(`/api/v1/me/service-records/${done.body.record.id}/rating`).set("Authorization", auth).send({ score: 5, comment: "师傅很专业" }).expect(200);
    expect(rated.body).toMatchObject({ rating: 5, reviewPoints: 50 });
    expect((await s.http.post(`/api/v1/me/service-records/${done.body.record.id}/rating`).set("Authorization", auth).send({ score: 1 })).body.error.code).toBe("ALREADY_RATED");
    expect((await s.http.post(`/api/v1/me/service-records/${done.body.record.id}/rating`).set("Authorization", auth).send({ score: 6 })).status).toBe(400);

    const due = await s.http.get("/api/v1/staff/maintenance-due?days=60").set("Authorization", advisor.auth).expect(200);
    expect(due.body.map((d: { assetId: number }) => d.assetId)).toContain(asset.id);
    const soon = await s.http.get("/api/v1/staff/maintenance-due?days=10").set("Authorization", advisor.auth).expect(200);
    expect(soon.body.map((d: { assetId: number }) => d.assetId)).not.toContain(asset.id);
  });

  it("keeps another store's advisor and other members out", async () => {
    const { booking } = await bookedVisit("visit-3", [1], "10:00");
    const other = await s.loginStaff("advisor", 2);
    const res = await act(booking.id, "check-in", { mileage: 18_100 }, other.auth);
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe("STORE_SCOPE_FORBIDDEN");
    const stranger = await s.loginMember("visit-stranger", 1);
    expect((await s.http.post("/api/v1/me/service-records/1/rating").set("Authorization", stranger.auth).send({ score: 5 })).status).toBe(404);
  });

  it("flags a booking nobody responded to within 2 hours", async () => {
    const { booking } = await bookedVisit("visit-4", [3], "11:00");
    const staff = { id: advisor.id, username: advisor.username, name: "x", role: "advisor" as const, storeId: 1 };
    const later = new Date(Date.parse(booking.createdAt) + 2 * 3600_000 + 1000);
    const late = await s.t.db.read((m) => lateBookings(m, staff, later));
    expect(late.find((b) => b.id === booking.id)?.lateness).toMatchObject({ response: true, arrival: false });
    await act(booking.id, "confirm").expect(200);
    const after = await s.t.db.read((m) => lateBookings(m, staff, later));
    expect(after.find((b) => b.id === booking.id)).toBeUndefined();
  });

  it("uses a model's own interval and the default 6 months without any history", async () => {
    const now = new Date("2026-11-22T04:00:00Z");
    const nev = await s.t.db.read(async (m) => nextDue(m, s.config, Object.assign(new Asset(), { id: -1, model: "星途 星纪元 ES", purchaseDate: null }), 9_000, now));
    expect(nev).toEqual({ nextDueDate: "2027-11-22", nextDueMileage: 19_000, dailyKm: null });
    const plain = await s.t.db.read(async (m) => nextDue(m, s.config, Object.assign(new Asset(), { id: -1, model: "揽月", purchaseDate: null }), 9_000, now));
    expect(plain).toEqual({ nextDueDate: "2027-05-22", nextDueMileage: 14_000, dailyKm: null });
  });
});
