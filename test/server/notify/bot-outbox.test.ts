import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliverDue } from "../../../server/notify/deliver.js";
import { Asset } from "../../../server/assets/assets.entity.js";
import { ContactBinding, OutboxMessage } from "../../../server/notify/notify.entity.js";
import { enqueue, type NewMessage } from "../../../server/notify/outbox.service.js";
import { shanghaiInstant } from "../../../server/stores/calendar.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { giveCars } from "../../helpers/booking.js";
import { DATABASE_KINDS, RACE_KINDS } from "../../helpers/databases.js";
import { createMembers } from "../../helpers/instances.js";
import { BOT_AUTH, keepBotOnline, NOTIFY_ENV } from "../../helpers/notify.js";

const greeting = { holiday: "中秋节", storeName: "浦东店" };

/** Members bound to the bot with a message each, routed to the bot channel. */
async function boundMembersWithMessages(s: TestApp, n: number, prefix: string, kind: NewMessage["kind"] = "weather_alert") {
  const members = await createMembers(s, n, prefix);
  await s.t.db.tx((m) => m.insert(ContactBinding, members.map((mb) => ({ botAccount: "shop-bot", contactId: `wxid-${prefix}-${mb.id}`, subjectType: "member" as const, subjectId: mb.id, createdAt: new Date() }))));
  for (const mb of members) {
    const vars = kind === "weather_alert" ? { storeName: "浦东店", text: "暴雨预警：请将车辆停放在地势较高处" } : greeting;
    await s.t.db.tx((m) => enqueue(m, { kind, memberId: mb.id, storeId: 1, vars, dedupeKey: `${prefix}:${mb.id}` }, s.clock.now()));
  }
  while ((await deliverDue(s.deps, s.clock.now())) > 0);
  return members;
}

describe.each(DATABASE_KINDS)("bot delivery and member control on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind, { ...NOTIFY_ENV, BOT_DAILY_LIMIT: "3", BOT_MIN_GAP_SECONDS: "20", BOT_JITTER_SECONDS: "10", BOT_LEASE_SECONDS: "60" });
    await keepBotOnline(s);
    s.clock.set(shanghaiInstant("2026-11-25", "10:00"));
  });
  afterAll(() => s.close());
  // each test starts with nothing left for the bot from the one before
  beforeEach(() => s.t.db.tx((m) => m.query("UPDATE outbox_message SET status = 'cancelled' WHERE status IN ('queued', 'sending', 'held')")));
  const claim = (max = 1) => s.http.post("/api/v1/bot/outbox/claim").set("Authorization", BOT_AUTH).send({ max });
  const ack = (id: number, leaseToken: string, result = "sent") => s.http.post(`/api/v1/bot/outbox/${id}/ack`).set("Authorization", BOT_AUTH).send({ leaseToken, result });

  it("hands out one message per gap of 20–30 s, at most the daily limit, and the ack settles it", async () => {
    const members = await boundMembersWithMessages(s, 5, `bb${kind}`);
    const first = await claim(5);
    expect(first.status).toBe(200);
    expect(first.body.messages).toHaveLength(1); // the gap allows one now
    const [message] = first.body.messages;
    expect(message.text).toBe("【星途汽车4S店（浦东店）】暴雨预警：请将车辆停放在地势较高处".replace("星途汽车4S店（浦东店）", "浦东店"));
    expect((await claim()).body.messages).toHaveLength(0);
    s.clock.advance(19_000);
    expect((await claim()).body.messages).toHaveLength(0);
    s.clock.advance(11_000); // 30 s: past any jitter
    expect((await claim()).body.messages).toHaveLength(1);
    s.clock.advance(30_000);
    expect((await claim()).body.messages).toHaveLength(1);
    s.clock.advance(30_000);
    expect((await claim()).body.messages).toHaveLength(0); // 3 a day
    expect((await ack(message.id, message.leaseToken)).body).toMatchObject({ status: "sent" });
    expect((await ack(message.id, message.leaseToken)).body.error.code).toBe("MESSAGE_LEASE_LOST");
    const mine = await s.http.get("/api/v1/me/messages").set("Authorization", members.find((mb) => `wxid-bb${kind}-${mb.id}` === message.contactId)!.auth).expect(200);
    expect(mine.body.items[0]).toMatchObject({ channel: "bot", channelName: "微信客服", status: "sent" });
    // the next Shanghai day has a new budget (yesterday's alerts are past their 12 hours by now: a new one)
    s.clock.set(shanghaiInstant("2026-11-26", "10:00"));
    await boundMembersWithMessages(s, 1, `bn${kind}`);
    expect((await claim()).body.messages).toHaveLength(1);
  });

  it("returns a message whose lease ran out without an ack, and refuses the late ack of the old lease", async () => {
    s.clock.set(shanghaiInstant("2026-11-27", "10:00"));
    await boundMembersWithMessages(s, 1, `bl${kind}`);
    const [first] = (await claim()).body.messages;
    s.clock.advance(61_000);
    const [again] = (await claim()).body.messages;
    expect(again.id).toBe(first.id);
    expect(again.leaseToken).not.toBe(first.leaseToken);
    expect((await ack(first.id, first.leaseToken)).status).toBe(409);
    expect((await ack(again.id, again.leaseToken)).status).toBe(200);
  });

  it("sends one message per contact a day; a second waits for tomorrow morning", async () => {
    s.clock.set(shanghaiInstant("2026-11-28", "10:00"));
    const [member] = await boundMembersWithMessages(s, 1, `bc${kind}`);
    await s.t.db.tx((m) => enqueue(m, { kind: "weather_alert", memberId: member.id, storeId: 1, vars: { storeName: "浦东店", text: "大风预警：请远离广告牌" }, dedupeKey: `bc2:${member.id}` }, s.clock.now()));
    await deliverDue(s.deps, s.clock.now());
    const [one] = (await claim()).body.messages;
    await ack(one.id, one.leaseToken);
    s.clock.advance(60_000);
    expect((await claim()).body.messages).toHaveLength(0);
    const waiting = await s.t.db.read((m) => m.findOneByOrFail(OutboxMessage, { dedupeKey: `bc2:${member.id}` }));
    expect(waiting.nextAttemptAt.toISOString()).toBe(shanghaiInstant("2026-11-29", "09:00").toISOString());
  });

  it("a contact the bot cannot reach is refused and the message goes on to a call task (service) ", async () => {
    s.clock.set(shanghaiInstant("2026-11-30", "10:00"));
    const members = await createMembers(s, 1, `bf${kind}`);
    await s.t.db.tx((m) => m.insert(ContactBinding, { botAccount: "shop-bot", contactId: `wxid-bf-${kind}`, subjectType: "member", subjectId: members[0].id, createdAt: new Date() }));
    const [assetId] = await giveCars(s, [members[0].id]);
    await s.t.db.tx((m) => m.update(Asset, { id: assetId }, { nextDueDate: "2026-12-01" }));
    await s.t.db.tx((m) => enqueue(m, { kind: "maintenance_due", memberId: members[0].id, storeId: 1, vars: { plate: "沪A1", dueDate: "2026-12-01", storeName: "浦东店", assetId, storeId: 1 }, dedupeKey: `bf:${kind}` }, s.clock.now()));
    await deliverDue(s.deps, s.clock.now());
    const [message] = (await claim()).body.messages;
    await s.http.post(`/api/v1/bot/outbox/${message.id}/ack`).set("Authorization", BOT_AUTH).send({ leaseToken: message.leaseToken, result: "refused", error: "不是好友" }).expect(200);
    await deliverDue(s.deps, s.clock.now());
    const settled = await s.t.db.read((m) => m.findOneByOrFail(OutboxMessage, { id: message.id }));
    expect(settled).toMatchObject({ status: "no_channel", channel: "call", refusedChannels: "bot" });
  });

  it("holds marketing in quiet hours until 08:00, caps it at 2 a week, and an opt-out cancels it without touching service notices", async () => {
    const [member] = await createMembers(s, 1, `bq${kind}`);
    await s.t.db.tx((m) => m.insert(ContactBinding, { botAccount: "shop-bot", contactId: `wxid-bq-${kind}`, subjectType: "member", subjectId: member.id, createdAt: new Date() }));
    s.clock.set(shanghaiInstant("2026-12-02", "22:30")); // a Wednesday evening: held overnight, sent in the morning
    const market = (n: number) => s.t.db.tx((m) => enqueue(m, { kind: "holiday_greeting", memberId: member.id, storeId: 1, vars: greeting, dedupeKey: `bq:${kind}:${n}` }, s.clock.now()));
    await market(1);
    await deliverDue(s.deps, s.clock.now());
    const held = await s.t.db.read((m) => m.findOneByOrFail(OutboxMessage, { dedupeKey: `bq:${kind}:1` }));
    expect(held).toMatchObject({ status: "held" });
    expect(held.nextAttemptAt.toISOString()).toBe(shanghaiInstant("2026-12-03", "08:00").toISOString());
    s.clock.set(shanghaiInstant("2026-12-03", "08:00"));
    await market(2);
    await market(3);
    await deliverDue(s.deps, s.clock.now());
    const statuses = await s.t.db.read((m) => m.find(OutboxMessage, { where: { memberId: member.id }, order: { id: "ASC" } }));
    expect(statuses.map((x) => x.status)).toEqual(["queued", "queued", "cancelled"]);
    expect(statuses[2].lastError).toBe("已达每周营销消息上限");
    // the opt-out: queued marketing is cancelled at once, later marketing too, a service notice still goes
    await s.http.patch("/api/v1/me/preferences").set("Authorization", member.auth).send({ marketingOptOut: true }).expect(200);
    s.clock.set(shanghaiInstant("2026-12-08", "10:00")); // next week
    await market(4);
    await s.t.db.tx((m) => enqueue(m, { kind: "weather_alert", memberId: member.id, storeId: 1, vars: { storeName: "浦东店", text: "暴雨预警：请将车辆停放在地势较高处" }, dedupeKey: `bq:${kind}:service` }, s.clock.now()));
    await deliverDue(s.deps, s.clock.now());
    const after = await s.t.db.read((m) => m.find(OutboxMessage, { where: { memberId: member.id }, order: { id: "ASC" } }));
    expect(after.map((x) => x.status)).toEqual(["cancelled", "cancelled", "cancelled", "cancelled", "queued"]);
    expect(after[4].channel).toBe("bot");
    expect((await s.http.get("/api/v1/me/preferences").set("Authorization", member.auth)).body).toEqual({ marketingOptOut: true });
  });

  it("a manager cancels queued marketing but not a service notice; others cannot see the outbox", async () => {
    s.clock.set(shanghaiInstant("2026-12-09", "10:00"));
    const [member] = await createMembers(s, 1, `bm${kind}`);
    await s.t.db.tx((m) => enqueue(m, { kind: "holiday_greeting", memberId: member.id, storeId: 1, vars: greeting, dedupeKey: `bm:${kind}:1` }, s.clock.now()));
    await s.t.db.tx((m) => enqueue(m, { kind: "weather_alert", memberId: member.id, storeId: 1, vars: { storeName: "浦东店", text: "暴雨预警" }, dedupeKey: `bm:${kind}:2` }, s.clock.now()));
    const manager = await s.loginStaff("manager", 1);
    const day = await s.http.get("/api/v1/staff/outbox").set("Authorization", manager.auth).query({ date: "2026-12-09", kind: "holiday_greeting" }).expect(200);
    const marketing = day.body.items.find((i: { memberId: number }) => i.memberId === member.id);
    expect(marketing).toMatchObject({ status: "queued", kindName: "节日问候" });
    await s.http.post(`/api/v1/staff/outbox/${marketing.id}/cancel`).set("Authorization", manager.auth).expect(200);
    const service = await s.t.db.read((m) => m.findOneByOrFail(OutboxMessage, { dedupeKey: `bm:${kind}:2` }));
    expect((await s.http.post(`/api/v1/staff/outbox/${service.id}/cancel`).set("Authorization", manager.auth)).body.error.code).toBe("MESSAGE_NOT_CANCELLABLE");
    const advisor = await s.loginStaff("advisor", 1);
    expect((await s.http.get("/api/v1/staff/outbox").set("Authorization", advisor.auth)).status).toBe(403);
    const otherManager = await s.loginStaff("manager", 2);
    expect((await s.http.post(`/api/v1/staff/outbox/${service.id}/cancel`).set("Authorization", otherManager.auth)).status).toBe(404);
    expect((await s.http.post("/api/v1/bot/outbox/claim").set("Authorization", manager.auth).send({})).body.error.code).toBe("BOT_TOKEN_INVALID");
  });
});

describe.each(RACE_KINDS.filter((k) => k !== "sqlite"))("parallel bot claims on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind, { ...NOTIFY_ENV, BOT_DAILY_LIMIT: "10000", BOT_MIN_GAP_SECONDS: "0", BOT_JITTER_SECONDS: "0", BOT_PER_CONTACT_DAILY: "5" });
    await keepBotOnline(s);
    s.clock.set(shanghaiInstant("2026-11-25", "10:00"));
  });
  afterAll(() => s.close());

  it("20 workers claiming one batch of 60 messages at once get each message exactly once", async () => {
    const members = await boundMembersWithMessages(s, 60, `pc${kind}`);
    const claims = await Promise.all(Array.from({ length: 20 }, () => s.http.post("/api/v1/bot/outbox/claim").set("Authorization", BOT_AUTH).send({ max: 10 })));
    expect(claims.every((c) => c.status === 200)).toBe(true);
    const ids = claims.flatMap((c) => c.body.messages.map((x: { id: number }) => x.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(60);
    const acks = await Promise.all(claims.flatMap((c) => c.body.messages.map((x: { id: number; leaseToken: string }) => s.http.post(`/api/v1/bot/outbox/${x.id}/ack`).set("Authorization", BOT_AUTH).send({ leaseToken: x.leaseToken, result: "sent" }))));
    expect(acks.every((a) => a.status === 200)).toBe(true);
    const rows = await s.t.db.read((m) => m.find(OutboxMessage, { where: members.map((mb) => ({ memberId: mb.id })) }));
    expect(rows.every((r) => r.status === "sent")).toBe(true);
    const [budget] = (await s.t.db.read((m) => m.query("SELECT sent FROM bot_send_budget WHERE botAccount = 'shop-bot' AND day = '2026-11-25'"))) as { sent: number }[];
    expect(Number(budget.sent)).toBe(60); // a claim that found nothing gave its budget place back
  });
});
