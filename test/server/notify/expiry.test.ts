import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FindOptionsWhere } from "typeorm";
import { Asset } from "../../../server/assets/assets.entity.js";
import { Booking } from "../../../server/bookings/bookings.entity.js";
import { cancelBooking, createBooking, rescheduleBooking } from "../../../server/bookings/bookings.service.js";
import { JOBS } from "../../../server/jobs/jobs.js";
import { runFiring } from "../../../server/jobs/scheduler.js";
import { enqueueBookingNotice } from "../../../server/notify/booking-notices.js";
import { deliverDue } from "../../../server/notify/deliver.js";
import { ContactBinding, OutboxMessage, SubscribeConsent } from "../../../server/notify/notify.entity.js";
import { enqueue } from "../../../server/notify/outbox.service.js";
import { expiryOf } from "../../../server/notify/templates.js";
import { addCalendarDays, shanghaiInstant } from "../../../server/stores/calendar.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { at, giveCars, nextOpenDate } from "../../helpers/booking.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { createMembers } from "../../helpers/instances.js";
import { BOT_AUTH, keepBotOnline, NOTIFY_ENV } from "../../helpers/notify.js";

const HOUR = 3600_000;
const reminderJob = JOBS.find((j) => j.name === "notify.booking-reminders")!;

describe.each(DATABASE_KINDS)("messages that cannot be routed, expire or lose their booking on %s", (kind) => {
  let s: TestApp;
  let seq = 0;
  beforeAll(async () => {
    s = await startTestApp(kind, NOTIFY_ENV);
    await keepBotOnline(s);
  });
  afterAll(() => s.close());
  const messages = (where: FindOptionsWhere<OutboxMessage>) => s.t.db.read((m) => m.find(OutboxMessage, { where, order: { id: "ASC" } }));
  const one = async (id: number) => (await messages({ id }))[0];
  const bind = (memberId: number) => s.t.db.tx((m) => m.insert(ContactBinding, { botAccount: "shop-bot", contactId: `wxid-ex-${kind}-${memberId}`, subjectType: "member", subjectId: memberId, createdAt: new Date() }));
  const claim = () => s.http.post("/api/v1/bot/outbox/claim").set("Authorization", BOT_AUTH).send({ max: 5 });

  it("a message whose routing throws counts its attempts and ends failed with the error, visible in the outbox, its consent untouched", async () => {
    s.clock.set(shanghaiInstant("2026-11-25", "10:00"));
    const [member] = await createMembers(s, 1, `ef${kind}`);
    await s.t.db.tx((m) => m.insert(SubscribeConsent, { memberId: member.id, templateId: "tpl-reminder", remaining: 1, updatedAt: new Date() }));
    // a row an older version wrote, before its template named the plate: rendering it throws while routing
    const payload = JSON.stringify({ bookingId: 999_999, bookingNo: "BK0", storeName: "浦东店", serviceNames: "常规保养", start: "2026-11-26 09:30" });
    const row = await s.t.db.tx((m) =>
      m.save(m.create(OutboxMessage, { kind: "booking_reminder", messageClass: "service", memberId: member.id, staffId: null, storeId: 1, payload, dedupeKey: `broken:${kind}`, status: "queued", attempts: 0, nextAttemptAt: s.clock.now(), refusedChannels: "", expiresAt: null, createdAt: s.clock.now() })),
    );
    await deliverDue(s.deps, s.clock.now());
    let message = await one(row.id);
    expect(message).toMatchObject({ status: "queued", attempts: 1 });
    expect(message.lastError).toBe("路由出错：message booking_reminder needs the variable plate");
    expect(message.nextAttemptAt.getTime()).toBe(s.clock.now().getTime() + 30_000);
    for (let i = 0; i < 6; i++) {
      s.clock.advance(3 * HOUR);
      await deliverDue(s.deps, s.clock.now());
    }
    message = await one(row.id);
    expect(message).toMatchObject({ status: "failed", attempts: 5 });
    expect(message.lastError).toContain("路由出错");
    expect((await s.t.db.read((m) => m.findOneByOrFail(SubscribeConsent, { memberId: member.id, templateId: "tpl-reminder" }))).remaining).toBe(1);
    const manager = await s.loginStaff("manager", 1);
    const day = await s.http.get("/api/v1/staff/outbox").set("Authorization", manager.auth).query({ status: "failed", date: "2026-11-25" }).expect(200);
    expect(day.body.items.map((i: { id: number }) => i.id)).toContain(row.id);
  });

  it("a weather alert the bot did not claim within 12 hours expires instead of going out late", async () => {
    s.clock.set(shanghaiInstant("2026-11-26", "10:00"));
    const [member] = await createMembers(s, 1, `ew${kind}`);
    await bind(member.id);
    await s.t.db.tx((m) => enqueue(m, { kind: "weather_alert", memberId: member.id, storeId: 1, vars: { storeName: "浦东店", text: "暴雨预警：请将车辆停放在地势较高处" }, dedupeKey: `ew:${kind}` }, s.clock.now()));
    await deliverDue(s.deps, s.clock.now());
    const [queued] = await messages({ dedupeKey: `ew:${kind}` });
    expect(queued).toMatchObject({ status: "queued", channel: "bot" });
    expect(queued.expiresAt!.getTime()).toBe(s.clock.now().getTime() + 12 * HOUR);
    s.clock.advance(12 * HOUR + 60_000);
    const claimed = await claim().expect(200);
    expect(claimed.body.messages.map((x: { id: number }) => x.id)).not.toContain(queued.id);
    expect(await one(queued.id)).toMatchObject({ status: "expired", lastError: "已过有效期，未发送" });
    const manager = await s.loginStaff("manager", 1);
    const day = await s.http.get("/api/v1/staff/outbox").set("Authorization", manager.auth).query({ date: "2026-11-26", status: "expired" }).expect(200);
    expect(day.body.counts.expired).toBeGreaterThanOrEqual(1);
    expect(day.body.items.find((i: { id: number }) => i.id === queued.id)).toMatchObject({ status: "expired", statusName: "已过期（未发送）" });
  });

  it("a holiday greeting held by the quiet hours goes in the morning; one still waiting at noon the day after is retired", async () => {
    s.clock.set(shanghaiInstant("2026-09-25", "21:30")); // 中秋节, in the quiet hours
    const [member, late] = await createMembers(s, 2, `eh${kind}`);
    await s.t.db.tx((m) => enqueue(m, { kind: "holiday_greeting", memberId: member.id, storeId: 1, vars: { holiday: "中秋节", storeName: "浦东店" }, dedupeKey: `eh:${kind}` }, s.clock.now()));
    await deliverDue(s.deps, s.clock.now());
    const [held] = await messages({ dedupeKey: `eh:${kind}` });
    expect(held.status).toBe("held");
    s.clock.set(shanghaiInstant("2026-09-26", "08:00"));
    await deliverDue(s.deps, s.clock.now());
    expect((await one(held.id)).status).not.toBe("expired"); // sent on its way in the morning (no channel for this member: no_channel)
    s.clock.set(shanghaiInstant("2026-09-25", "23:00"));
    await s.t.db.tx((m) => enqueue(m, { kind: "holiday_greeting", memberId: late.id, storeId: 1, vars: { holiday: "中秋节", storeName: "浦东店" }, dedupeKey: `eh:${kind}:late` }, s.clock.now()));
    s.clock.set(shanghaiInstant("2026-09-26", "12:00"));
    await deliverDue(s.deps, s.clock.now());
    expect((await messages({ dedupeKey: `eh:${kind}:late` }))[0]).toMatchObject({ status: "expired" });
  });

  it("a maintenance reminder for a car serviced since it was queued is retired, not sent", async () => {
    s.clock.set(shanghaiInstant("2027-01-01", "10:00"));
    const [member] = await createMembers(s, 1, `em${kind}`);
    const [assetId] = await giveCars(s, [member.id]);
    await s.t.db.tx((m) => m.update(Asset, { id: assetId }, { nextDueDate: "2027-01-08" }));
    await runFiring(s.deps, JOBS.find((j) => j.name === "notify.maintenance-due")!, s.clock.now());
    const [due] = await messages({ memberId: member.id });
    expect(due.expiresAt!.toISOString()).toBe(shanghaiInstant("2027-01-15", "00:00").toISOString());
    await s.t.db.tx((m) => m.update(Asset, { id: assetId }, { nextDueDate: "2027-07-01" })); // serviced: the next due date moved on
    await deliverDue(s.deps, s.clock.now());
    expect(await one(due.id)).toMatchObject({ status: "expired", lastError: "车辆已保养或下次保养日期已更新，未发送" });
  });

  describe("booking notices", () => {
    const date = nextOpenDate(4);
    const later = nextOpenDate(1, shanghaiInstant(date, "12:00"));
    let memberId: number;
    let assetId: number;
    beforeAll(async () => {
      [{ id: memberId }] = await createMembers(s, 1, `eb${kind}`);
      [assetId] = await giveCars(s, [memberId]);
    });
    const book = (start: string, now: Date) => createBooking(s.t.db, s.config, memberId, { storeId: 1, serviceIds: [1], assetId, start }, `eb-${kind}-${++seq}`, now);
    const ofBooking = async (bookingId: number) => (await s.t.db.read((m) => m.find(OutboxMessage, { where: { memberId }, order: { id: "ASC" } }))).filter((x) => JSON.parse(x.payload).bookingId === bookingId);

    it("a booking made days ahead queues its reminder for 18:00 the day before, and the 18:00 run adds nothing", async () => {
      const now = shanghaiInstant(addCalendarDays(date, -3), "10:00");
      const booked = await book(at(date, "10:00"), now);
      const [confirmed, reminder] = await ofBooking(booked.id);
      expect(confirmed).toMatchObject({ kind: "booking_confirmed", status: "queued" });
      expect(confirmed.expiresAt!.toISOString()).toBe(at(date, "10:00"));
      expect(reminder).toMatchObject({ kind: "booking_reminder", status: "queued", dedupeKey: `booking_reminder:${booked.id}:${at(date, "10:00")}` });
      const eveningBefore = shanghaiInstant(addCalendarDays(date, -1), "18:00");
      expect(reminder.nextAttemptAt.toISOString()).toBe(eveningBefore.toISOString());
      expect(reminder.expiresAt!.toISOString()).toBe(shanghaiInstant(date, "00:00").toISOString());
      s.clock.set(eveningBefore);
      expect(JSON.parse((await runFiring(s.deps, reminderJob, eveningBefore))!.counts!).enqueued).toBe(0);
    });

    it("rescheduling cancels the old time's confirmation and reminder in the same change and queues both for the new time; cancelling cancels those", async () => {
      const now = shanghaiInstant(addCalendarDays(date, -3), "11:00");
      const booked = await book(at(date, "14:00"), now);
      await rescheduleBooking(s.t.db, s.config, memberId, booked.id, at(later, "09:00"), now);
      const afterMove = await ofBooking(booked.id);
      expect(afterMove.map((x) => [x.kind, x.status, x.lastError])).toEqual([
        ["booking_confirmed", "cancelled", "预约已改期"],
        ["booking_reminder", "cancelled", "预约已改期"],
        ["booking_confirmed", "queued", null],
        ["booking_reminder", "queued", null],
      ]);
      expect(JSON.parse(afterMove[3].payload).start).toBe(`${later} 09:00`);
      await cancelBooking(s.t.db, s.config, memberId, booked.id, now);
      expect((await ofBooking(booked.id)).slice(2).map((x) => [x.status, x.lastError])).toEqual([
        ["cancelled", "会员已取消预约"],
        ["cancelled", "会员已取消预约"],
      ]);
    });

    it("a booking made after 18:00 the day before, or on the day, gets its confirmation only, even from a caught-up 18:00 run", async () => {
      const eveningBefore = shanghaiInstant(addCalendarDays(later, -1), "18:00");
      const late = await book(at(later, "16:00"), new Date(eveningBefore.getTime() + HOUR));
      const sameDay = await book(at(later, "17:00"), shanghaiInstant(later, "08:00"));
      s.clock.set(new Date(eveningBefore.getTime() + 2 * HOUR)); // every instance was down at 18:00: the firing runs late
      await runFiring(s.deps, reminderJob, eveningBefore);
      expect((await ofBooking(late.id)).map((x) => x.kind)).toEqual(["booking_confirmed"]);
      expect((await ofBooking(sameDay.id)).map((x) => x.kind)).toEqual(["booking_confirmed"]);
    });

    it("a ready-for-pickup notice waiting for the bot is retired once the car is collected", async () => {
      const now = shanghaiInstant(addCalendarDays(date, -2), "10:00");
      const booked = await book(at(date, "15:00"), now);
      s.clock.set(shanghaiInstant(date, "17:00"));
      await s.t.db.tx((m) => m.update(Booking, { id: booked.id }, { status: "ready_for_pickup", readyAt: s.clock.now() }));
      await s.t.db.tx(async (m) => enqueueBookingNotice(m, "ready_for_pickup", await m.findOneByOrFail(Booking, { id: booked.id }), s.clock.now()));
      await bind(memberId);
      await deliverDue(s.deps, s.clock.now());
      const [ready] = (await ofBooking(booked.id)).filter((x) => x.kind === "ready_for_pickup");
      expect(ready).toMatchObject({ status: "queued", channel: "bot" });
      await s.t.db.tx((m) => m.update(Booking, { id: booked.id }, { status: "completed", completedAt: s.clock.now() }));
      const claimed = await claim().expect(200);
      expect(claimed.body.messages.map((x: { id: number }) => x.id)).not.toContain(ready.id);
      expect(await one(ready.id)).toMatchObject({ status: "expired", lastError: "车辆已取走或预约已结束，未发送" });
    });
  });
});

describe("each kind's expiry (templates.ts)", () => {
  const queuedAt = shanghaiInstant("2026-11-25", "09:00");
  const booking = { bookingId: 1, bookingNo: "BK1", storeName: "浦东店", serviceNames: "常规保养", start: "2026-11-27 10:30", plate: "沪A12345" };
  it.each([
    ["booking_confirmed", booking, "2026-11-27 10:30"],
    ["booking_reminder", booking, "2026-11-27 00:00"],
    ["ready_for_pickup", booking, "2026-11-27 09:00"],
    ["booking_cancelled_by_store", { ...booking, reason: "设备检修" }, "2026-11-27 10:30"],
    ["maintenance_due", { plate: "沪A1", dueDate: "2026-12-01", storeName: "浦东店", assetId: 1, storeId: 1 }, "2026-12-08 00:00"],
    ["coupon_expiring", { couponNames: "「保养券」", validTo: "2026-11-28 23:59" }, "2026-11-28 23:59"],
    ["points_expiring", { points: 100, expiresOn: "2026-12-10" }, "2026-12-10 00:00"],
    ["birthday", { nickname: "小王", couponLine: "" }, "2026-11-26 12:00"],
    ["holiday_greeting", { holiday: "中秋节", storeName: "浦东店" }, "2026-11-26 12:00"],
    ["weather_alert", { storeName: "浦东店", text: "暴雨" }, "2026-11-25 21:00"],
  ] as const)("%s expires at its use", (kind, vars, expires) => {
    expect(expiryOf(kind, vars, queuedAt)?.toISOString()).toBe(shanghaiInstant(expires.slice(0, 10), expires.slice(11)).toISOString());
  });
  it("a staff alert never expires, and a payload that gives no expiry is refused", () => {
    expect(expiryOf("staff_alert", { text: "x" }, queuedAt)).toBeNull();
    expect(() => expiryOf("booking_confirmed", { ...booking, start: "soon" }, queuedAt)).toThrow(/no expiry/);
  });
});
