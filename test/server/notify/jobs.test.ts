import { renderSubscribe } from "../../../server/notify/templates.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FindOptionsWhere } from "typeorm";
import { Asset } from "../../../server/assets/assets.entity.js";
import { Coupon, CouponTemplate } from "../../../server/coupons/coupons.entity.js";
import { JobFiring } from "../../../server/jobs/firing.entity.js";
import { JOBS, type Job } from "../../../server/jobs/jobs.js";
import { catchUp, runFiring, scheduleOf, type SchedulerDeps } from "../../../server/jobs/scheduler.js";
import { loadConfig } from "../../../server/config.js";
import { Member } from "../../../server/members/members.entity.js";
import { CallTask, ContactBinding, OutboxMessage } from "../../../server/notify/notify.entity.js";
import { Consumption, PointsLot } from "../../../server/points/points.entity.js";
import { shanghaiInstant } from "../../../server/stores/calendar.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { at, giveCars, nextOpenDate } from "../../helpers/booking.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { createMembers } from "../../helpers/instances.js";
import { keepBotOnline, NOTIFY_ENV } from "../../helpers/notify.js";

const job = (name: string) => JOBS.find((j) => j.name === name)!;

describe.each(DATABASE_KINDS)("scheduled notification jobs on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind, NOTIFY_ENV);
    await keepBotOnline(s);
  });
  afterAll(() => s.close());
  const messages = (where: FindOptionsWhere<OutboxMessage>) => s.t.db.read((m) => m.find(OutboxMessage, { where, order: { id: "ASC" } }));
  /** runs the job's firing at `when` twice (a second instance, or a rerun after a crash): the second must add nothing */
  async function fire(name: string, when: Date) {
    s.clock.set(when);
    const first = await runFiring(s.deps, job(name), when);
    await s.t.db.tx((m) => m.delete(JobFiring, { job: name, scheduledAt: when })); // as if the firing had died before recording its end
    const again = await runFiring(s.deps, job(name), when);
    return { first: JSON.parse(first!.counts!), again: JSON.parse(again!.counts!) };
  }

  it("maintenance due: 7 days before and on the day, with the deep link to a pre-filled booking, once each", async () => {
    const members = await createMembers(s, 3, `jm${kind}`);
    const [a, b, c] = await giveCars(s, members.map((m) => m.id));
    const setDue = (id: number, nextDueDate: string | null) => s.t.db.tx((m) => m.update(Asset, { id }, { nextDueDate }));
    await setDue(a, "2027-01-08");
    await setDue(b, "2027-01-01");
    await setDue(c, "2027-03-01");
    const { first, again } = await fire("notify.maintenance-due", shanghaiInstant("2027-01-01", "10:00"));
    expect(first.enqueued).toBeGreaterThanOrEqual(2);
    expect(again.enqueued).toBe(0);
    const [d7] = await messages({ memberId: members[0].id });
    expect(d7.dedupeKey).toBe(`maint:${a}:2027-01-08:d7`);
    expect(JSON.parse(d7.payload)).toMatchObject({ dueDate: "2027-01-08", assetId: a, storeId: 1 });
    expect((await messages({ memberId: members[1].id }))[0].dedupeKey).toBe(`maint:${b}:2027-01-01:d0`);
    expect(await messages({ memberId: members[2].id })).toHaveLength(0);
  });

  it("booking: confirmation on booking, reminder the evening before, ready for pickup, and the store's cancellation", async () => {
    const date = nextOpenDate(3);
    const login = await s.loginMember(`jb${kind}`, 1);
    const car = await s.http.post("/api/v1/me/assets").set("Authorization", login.auth).send({ plate: "沪J88888", model: "星途 揽月" }).expect(201);
    const booked = await s.http.post("/api/v1/bookings").set("Authorization", login.auth).set("Idempotency-Key", `jb-${kind}-1`).send({ storeId: 1, serviceIds: [1], assetId: car.body.id, start: at(date, "10:00") }).expect(201);
    // the confirmation now, and the reminder queued with the booking for 18:00 the day before
    const [confirmed, reminder] = await messages({ memberId: login.member.id });
    expect(confirmed).toMatchObject({ kind: "booking_confirmed", dedupeKey: `booking_confirmed:${booked.body.id}:${at(date, "10:00")}` });
    const dayBefore = new Date(shanghaiInstant(date, "18:00").getTime() - 86_400_000);
    expect(reminder).toMatchObject({ kind: "booking_reminder", dedupeKey: `booking_reminder:${booked.body.id}:${at(date, "10:00")}` });
    expect(reminder.nextAttemptAt.toISOString()).toBe(dayBefore.toISOString());
    // the 18:00 job is the safety net: its dedupe key finds the reminder there already
    const { first, again } = await fire("notify.booking-reminders", dayBefore);
    expect(first.enqueued).toBe(0);
    expect(again.enqueued).toBe(0);
    expect((await messages({ memberId: login.member.id })).map((x) => x.kind)).toEqual(["booking_confirmed", "booking_reminder"]);
    // a reminder the booking did not queue (made before this rule): the job adds it
    await s.t.db.tx(async (m) => {
      await m.delete(OutboxMessage, { id: reminder.id });
      await m.delete(JobFiring, { job: "notify.booking-reminders", scheduledAt: dayBefore });
    });
    expect((await fire("notify.booking-reminders", dayBefore)).first.enqueued).toBe(1);
    // staff finish the work: the member hears the car is ready
    const advisor = await s.loginStaff("advisor", 1);
    await s.http.post(`/api/v1/staff/bookings/${booked.body.id}/check-in`).set("Authorization", advisor.auth).send({ mileage: 12000 }).expect(200);
    await s.http.post(`/api/v1/staff/bookings/${booked.body.id}/start`).set("Authorization", advisor.auth).expect(200);
    await s.http.post(`/api/v1/staff/bookings/${booked.body.id}/ready`).set("Authorization", advisor.auth).expect(200);
    expect((await messages({ memberId: login.member.id })).map((x) => x.kind)).toEqual(["booking_confirmed", "booking_reminder", "ready_for_pickup"]);
    // a second booking the store cancels by closing that day: the member is told why, with the same change
    const other = await s.http.post("/api/v1/bookings").set("Authorization", login.auth).set("Idempotency-Key", `jb-${kind}-2`).send({ storeId: 1, serviceIds: [1], assetId: car.body.id, start: at(nextOpenDate(5), "14:00") }).expect(201);
    const manager = await s.loginStaff("manager", 1);
    await s.http.post("/api/v1/staff/stores/1/closures").set("Authorization", manager.auth).send({ date: nextOpenDate(5), reason: "设备检修", cancelAffected: true, cancelReason: "设备检修" }).expect(201);
    const cancelled = await messages({ dedupeKey: `booking_cancelled_by_store:${other.body.id}` });
    expect(JSON.parse(cancelled[0].payload)).toMatchObject({ reason: "设备检修", bookingNo: other.body.bookingNo });
    // a cancelled booking's queued reminder is cancelled with it, and the 18:00 run adds none
    const otherStart = at(nextOpenDate(5), "14:00");
    await fire("notify.booking-reminders", new Date(shanghaiInstant(nextOpenDate(5), "18:00").getTime() - 86_400_000));
    expect(await messages({ dedupeKey: `booking_reminder:${other.body.id}:${otherStart}` })).toMatchObject([{ status: "cancelled", lastError: "门店已取消预约" }]);
  });

  it("coupons expiring in 3 days: one message per member naming the coupons", async () => {
    const [member] = await createMembers(s, 1, `jc${kind}`);
    const manager = await s.loginStaff("manager", null);
    const created = await s.http.post("/api/v1/staff/coupon-templates").set("Authorization", manager.auth).send({ name: "保养代金券", kind: "cash", valueFen: 5000, validDays: 30, totalStock: 100, channel: "claim" }).expect(201);
    const template = await s.t.db.read((m) => m.findOneByOrFail(CouponTemplate, { id: created.body.id }));
    const validTo = shanghaiInstant("2027-02-04", "23:59");
    for (const code of ["A", "B"]) {
      await s.t.db.tx((m) => m.insert(Coupon, { code: `JC${kind}${code}`.slice(0, 16), templateId: template.id, memberId: member.id, status: "available", issuedVia: "claim", validFrom: new Date("2027-01-01"), validTo, usedAt: null, usedOrderNo: null, usedStoreId: null, usedByStaffId: null, discountFen: null, voidReason: null, issueKey: null, issueNote: null, createdAt: new Date() }));
    }
    const { first, again } = await fire("notify.coupons-expiring", shanghaiInstant("2027-02-01", "10:30"));
    expect(first).toMatchObject({ members: 1, enqueued: 1 });
    expect(again.enqueued).toBe(0);
    const [message] = await messages({ memberId: member.id });
    expect(JSON.parse(message.payload)).toMatchObject({ couponNames: "「保养代金券」等 2 张", count: 2 });
    expect(renderSubscribe("coupon_expiring", JSON.parse(message.payload))!.page).toBe("pages/coupons/index?tab=available");
  });

  it("points expiring within 30 days: one message a month per member with the total, not one per lot", async () => {
    const [member] = await createMembers(s, 1, `jp${kind}`);
    const now = shanghaiInstant("2027-02-10", "11:00");
    for (const [points, days] of [[100, 5], [220, 20], [999, 60]]) {
      await s.t.db.tx((m) => m.insert(PointsLot, { memberId: member.id, ledgerId: 0, points, remaining: points, expiresAt: new Date(now.getTime() + days * 86_400_000), createdAt: now }));
    }
    const { first, again } = await fire("notify.points-expiring", now);
    expect(first.enqueued).toBeGreaterThanOrEqual(1);
    expect(again.enqueued).toBe(0);
    const rows = await messages({ memberId: member.id });
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0].payload)).toEqual({ points: 320, expiresOn: "2027-02-15" });
    const nextDay = await fire("notify.points-expiring", new Date(now.getTime() + 86_400_000));
    expect(nextDay.first.enqueued).toBe(0); // same month: not again
  });

  it("weather alert: a manager previews the reach per channel, then sends to the store's members once", async () => {
    const members = await createMembers(s, 3, `jx${kind}`);
    await s.t.db.tx((m) => m.insert(ContactBinding, { botAccount: "shop-bot", contactId: `wxid-jx-${kind}`, subjectType: "member", subjectId: members[0].id, createdAt: new Date() }));
    const manager = await s.loginStaff("manager", 1);
    const body = { storeId: 1, text: "暴雨预警：请将车辆停放在地势较高处" };
    const preview = await s.http.post("/api/v1/staff/broadcasts/weather/preview").set("Authorization", manager.auth).send(body).expect(200);
    expect(preview.body.byChannel.bot).toBeGreaterThanOrEqual(1);
    expect(preview.body.members).toBe(preview.body.byChannel.subscribe + preview.body.byChannel.bot + preview.body.byChannel.call);
    const send = () => s.http.post("/api/v1/staff/broadcasts/weather").set("Authorization", manager.auth).set("Idempotency-Key", `weather-${kind}-0001`).send(body);
    const sent = await send();
    expect(sent.status).toBe(201);
    expect(sent.body.enqueued).toBe(preview.body.members);
    expect((await send()).body.enqueued).toBe(sent.body.enqueued); // a retry answers the first result and sends nothing more
    const [alert] = await messages({ memberId: members[0].id, kind: "weather_alert" });
    expect(alert.messageClass).toBe("service");
    const city = await s.http.post("/api/v1/staff/broadcasts/weather/preview").set("Authorization", manager.auth).send({ city: "上海", text: body.text });
    expect(city.body.error.code).toBe("STORE_SCOPE_FORBIDDEN"); // a store's manager reaches only their store
    const both = await s.http.post("/api/v1/staff/broadcasts/weather/preview").set("Authorization", manager.auth).send({ storeId: 1, city: "上海", text: body.text });
    expect(both.status).toBe(400);
  });

  it("birthday: the greeting names the coupon the birthday job issued", async () => {
    const [member] = await createMembers(s, 1, `jd${kind}`);
    await s.t.db.tx((m) => m.update(Member, { id: member.id }, { birthday: "1990-03-15" }));
    const manager = await s.loginStaff("manager", null);
    await s.http.post("/api/v1/staff/coupon-templates").set("Authorization", manager.auth).send({ name: "生日礼券", kind: "cash", valueFen: 8800, validDays: 30, totalStock: 1000, channel: "job", jobCode: "birthday" }).expect(201);
    const { first, again } = await fire("coupons.birthday", shanghaiInstant("2027-03-15", "09:00"));
    expect(first.enqueued).toBeGreaterThanOrEqual(1);
    expect(again.enqueued).toBe(0);
    const [greeting] = await messages({ memberId: member.id, kind: "birthday" });
    expect(greeting.messageClass).toBe("marketing");
    expect(JSON.parse(greeting.payload).couponLine).toBe("送您「生日礼券」，已放入您的卡包。");
  });

  it("holiday greetings only on a configured festival, as marketing", async () => {
    const [member] = await createMembers(s, 1, `jh${kind}`);
    const ordinary = await fire("notify.holiday-greetings", shanghaiInstant("2026-09-24", "09:00"));
    expect(ordinary.first).toEqual({ holiday: 0, enqueued: 0 });
    const { first, again } = await fire("notify.holiday-greetings", shanghaiInstant("2026-09-25", "09:00")); // 中秋节
    expect(first.enqueued).toBeGreaterThanOrEqual(1);
    expect(again.enqueued).toBe(0);
    const [greeting] = await messages({ memberId: member.id });
    expect(greeting).toMatchObject({ kind: "holiday_greeting", messageClass: "marketing" });
    expect(JSON.parse(greeting.payload).holiday).toBe("中秋节");
  });

  it("win-back: top-spending members of a store who stopped coming become call tasks, not messages", async () => {
    const members = await createMembers(s, 10, `jw${kind}`);
    const longAgo = shanghaiInstant("2026-10-01", "10:00");
    const recent = shanghaiInstant("2027-04-10", "10:00");
    for (const [i, member] of members.entries()) {
      await s.t.db.tx((m) => m.insert(Consumption, { orderNo: `JW${kind}${i}`, memberId: member.id, storeId: 1, category: "repair", amountFen: 1_000_000 + i * 100_000, pointsEarned: 0, status: "recorded", staffId: 1, createdAt: i === 9 ? recent : longAgo, voidedAt: null, voidReason: null }));
    }
    const { first, again } = await fire("notify.win-back", shanghaiInstant("2027-05-01", "08:00"));
    expect(first.created).toBe(1); // of the top 2 (20 % of 10) the biggest came back in April
    expect(again.created).toBe(0);
    const tasks = await s.t.db.read((m) => m.find(CallTask, { where: { reason: "win_back", storeId: 1 } }));
    expect(tasks.map((t) => t.memberId)).toEqual([members[8].id]);
    expect(await messages({ memberId: members[8].id })).toHaveLength(0);
  });

  it("one runner per firing across two schedulers, a dead runner's firing taken over, and a missed firing caught up at start", async () => {
    let runs = 0;
    const slow: Job = { name: "test.slow", label: "测试", schedule: "*/5 * * * *", run: async () => ({ run: ++runs }) };
    const when = shanghaiInstant("2027-06-01", "10:05");
    s.clock.set(when);
    const two: SchedulerDeps[] = [{ ...s.deps, instance: "api-1" }, { ...s.deps, instance: "api-2" }];
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => runFiring(two[i % 2], slow, when)));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(runs).toBe(1);
    // a firing left unfinished by a runner that died is taken over once its lease ran out
    const later = shanghaiInstant("2027-06-01", "10:10");
    await s.t.db.tx((m) => m.insert(JobFiring, { job: slow.name, scheduledAt: later, instance: "api-dead", attempt: 1, startedAt: later, finishedAt: null, leaseUntil: new Date(later.getTime() + 60_000), counts: null, error: null, caughtUp: false }));
    s.clock.set(new Date(later.getTime() + 30_000));
    expect(await runFiring(two[0], slow, later)).toBeNull();
    s.clock.set(new Date(later.getTime() + 61_000));
    expect(await runFiring(two[0], slow, later)).toMatchObject({ attempt: 2, instance: "api-1" });
    // every instance was down over 10:15 … 10:40: at start the latest missed firing runs, once
    s.clock.set(shanghaiInstant("2027-06-01", "10:42"));
    const [caught] = await catchUp(two[1], [slow]);
    expect(caught).toMatchObject({ caughtUp: true, instance: "api-2" });
    expect(caught.scheduledAt.toISOString()).toBe(shanghaiInstant("2027-06-01", "10:40").toISOString());
    expect(await catchUp(two[0], [slow])).toEqual([]);
    expect(runs).toBe(3);
    const admin = await s.loginStaff("admin", null);
    const listed = await s.http.get("/api/v1/staff/jobs").set("Authorization", admin.auth).expect(200);
    expect(listed.body.find((j: { name: string }) => j.name === "notify.booking-reminders")).toMatchObject({ label: "预约前一天提醒", schedule: "0 18 * * *" });
    expect(scheduleOf({ config: loadConfig({ NODE_ENV: "test", JOB_CRON_NOTIFY_BOOKING_REMINDERS: "30 17 * * *" }) }, job("notify.booking-reminders"))).toBe("30 17 * * *");
    expect(() => loadConfig({ NODE_ENV: "test", JOB_CRON_COUPONS_EXPIRE: "every day" })).toThrow(/JOB_CRON_COUPONS_EXPIRE/);
    const advisor = await s.loginStaff("advisor", 1);
    expect((await s.http.get("/api/v1/staff/jobs").set("Authorization", advisor.auth)).status).toBe(403);
  });
});
