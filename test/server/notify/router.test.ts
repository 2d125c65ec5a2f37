import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FindOptionsWhere } from "typeorm";
import { deliverDue } from "../../../server/notify/deliver.js";
import { CallTask, ContactBinding, OutboxMessage, SubscribeConsent } from "../../../server/notify/notify.entity.js";
import { enqueue, type NewMessage } from "../../../server/notify/outbox.service.js";
import { shanghaiInstant } from "../../../server/stores/calendar.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { createMembers } from "../../helpers/instances.js";
import { keepBotOnline, NOTIFY_ENV } from "../../helpers/notify.js";


const reminderVars = { bookingId: 1, bookingNo: "BK1", storeName: "浦东店", serviceNames: "常规保养", start: "2026-11-26 09:30", plate: "沪A12345" };

describe.each(DATABASE_KINDS)("the channel router on %s", (kind) => {
  let s: TestApp;
  let seq = 0;
  beforeAll(async () => {
    s = await startTestApp(kind, NOTIFY_ENV);
    await keepBotOnline(s);
    // a Wednesday, 10:00 in Shanghai: outside quiet hours
    s.clock.set(shanghaiInstant("2026-11-25", "10:00"));
  });
  afterAll(() => s.close());

  const queue = (message: Partial<NewMessage> & { memberId?: number; staffId?: number }) =>
    s.t.db.tx((m) => enqueue(m, { kind: "booking_reminder", storeId: 1, vars: reminderVars, dedupeKey: `test:${kind}:${++seq}`, ...message } as NewMessage, s.clock.now()));
  const consent = (memberId: number, templateId: string, remaining: number) => s.t.db.tx((m) => m.save(m.create(SubscribeConsent, { memberId, templateId, remaining, updatedAt: new Date() })));
  const bind = (subjectType: "member" | "staff", subjectId: number, contactId: string) =>
    s.t.db.tx((m) => m.save(m.create(ContactBinding, { botAccount: "shop-bot", contactId, subjectType, subjectId, createdAt: new Date() })));
  const messagesOf = (where: FindOptionsWhere<OutboxMessage>) => s.t.db.read((m) => m.find(OutboxMessage, { where, order: { id: "ASC" } }));
  const consentLeft = async (memberId: number, templateId: string) => (await s.t.db.read((m) => m.findOneBy(SubscribeConsent, { memberId, templateId })))?.remaining;

  it("sends through a subscribe message when the member holds a consent, and spends exactly one", async () => {
    const [member] = await createMembers(s, 1, `rs${kind}`);
    await s.http.post("/api/v1/me/subscriptions").set("Authorization", member.auth).send({ results: { "tpl-reminder": "accept", "tpl-holiday": "reject" } }).expect(200);
    await s.http.post("/api/v1/me/subscriptions").set("Authorization", member.auth).send({ results: { "tpl-reminder": "accept" } }).expect(200);
    expect(await consentLeft(member.id, "tpl-reminder")).toBe(2);
    await queue({ memberId: member.id });
    await deliverDue(s.deps, s.clock.now());
    const [message] = await messagesOf({ memberId: member.id });
    expect(message).toMatchObject({ status: "sent", channel: "subscribe" });
    expect(await consentLeft(member.id, "tpl-reminder")).toBe(1);
    const sent = s.wechat.subscribeSent.find((x) => x.touser === `rs${kind}-0`)!;
    expect(sent.template_id).toBe("tpl-reminder");
    expect(sent.page).toBe("pages/bookings/detail?id=1");
    expect(sent.data.thing3.value).toBe("浦东店");
    // the member sees what was sent and how
    const mine = await s.http.get("/api/v1/me/messages").set("Authorization", member.auth).expect(200);
    expect(mine.body.items[0]).toMatchObject({ kind: "booking_reminder", channel: "subscribe", channelName: "小程序订阅消息", status: "sent" });
  });

  it("refuses a consent report for a template the server does not know, and changes nothing", async () => {
    const [member] = await createMembers(s, 1, `ru${kind}`);
    const res = await s.http.post("/api/v1/me/subscriptions").set("Authorization", member.auth).send({ results: { "tpl-unknown": "accept", "tpl-reminder": "accept" } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "TEMPLATE_UNKNOWN" });
    expect(await consentLeft(member.id, "tpl-reminder")).toBeUndefined();
  });

  it("without a consent or a binding, a service reminder becomes a call task for the member's store", async () => {
    const [member] = await createMembers(s, 1, `rn${kind}`);
    await queue({ memberId: member.id });
    await deliverDue(s.deps, s.clock.now());
    const [message] = await messagesOf({ memberId: member.id });
    expect(message).toMatchObject({ status: "no_channel", channel: "call" });
    const manager = await s.loginStaff("manager", 1);
    const tasks = await s.http.get("/api/v1/staff/call-tasks").set("Authorization", manager.auth).expect(200);
    const task = tasks.body.items.find((t: { memberId: number }) => t.memberId === member.id);
    expect(task).toMatchObject({ reason: "booking_reminder", reasonName: "预约提醒", status: "open" });
    expect(task.summary).toContain("温馨提醒");
    const done = await s.http.post(`/api/v1/staff/call-tasks/${task.id}/outcome`).set("Authorization", manager.auth).send({ outcome: "reached", note: "已电话提醒" });
    expect(done.status).toBe(200);
    const again = await s.http.post(`/api/v1/staff/call-tasks/${task.id}/outcome`).set("Authorization", manager.auth).send({ outcome: "no_answer" });
    expect(again.body.error.code).toBe("CALL_TASK_DONE");
    // staff of another store do not see it
    const other = await s.loginStaff("advisor", 2);
    const theirs = await s.http.get("/api/v1/staff/call-tasks").set("Authorization", other.auth).query({ status: "done" }).expect(200);
    expect(theirs.body.items.find((t: { id: number }) => t.id === task.id)).toBeUndefined();
  });

  it("every unreached service notice reaches the member's store as a call, one open call a member a day listing them all", async () => {
    const [member] = await createMembers(s, 1, `rd${kind}`);
    await queue({ memberId: member.id });
    await s.t.db.tx((m) => enqueue(m, { kind: "coupon_expiring", memberId: member.id, storeId: 1, vars: { couponNames: "「保养代金券」", validTo: "2026-11-28 23:59" }, dedupeKey: `rd:${kind}:coupon` }, s.clock.now()));
    await s.t.db.tx((m) => enqueue(m, { kind: "holiday_greeting", memberId: member.id, storeId: 1, vars: { holiday: "元旦", storeName: "浦东店" }, dedupeKey: `rd:${kind}:holiday` }, s.clock.now()));
    await deliverDue(s.deps, s.clock.now());
    const tasks = await s.t.db.read((m) => m.findBy(CallTask, { memberId: member.id }));
    expect(tasks).toHaveLength(1);
    expect(tasks[0].summary).toContain("温馨提醒");
    expect(tasks[0].summary).toContain("保养代金券");
    expect(tasks[0].summary).not.toContain("元旦"); // marketing is never a call
    const manager = await s.loginStaff("manager", 1);
    await s.http.post(`/api/v1/staff/call-tasks/${tasks[0].id}/outcome`).set("Authorization", manager.auth).send({ outcome: "reached" }).expect(200);
    // a notice after the day's call was made is a call of its own
    await s.t.db.tx((m) => enqueue(m, { kind: "points_expiring", memberId: member.id, storeId: 1, vars: { points: 320, expiresOn: "2026-12-20" }, dedupeKey: `rd:${kind}:points` }, s.clock.now()));
    await deliverDue(s.deps, s.clock.now());
    const after = await s.t.db.read((m) => m.find(CallTask, { where: { memberId: member.id }, order: { id: "ASC" } }));
    expect(after.map((t) => [t.status, t.reason])).toEqual([["done", "booking_reminder"], ["open", "points_expiring"]]);
  });

  it("a refusal by WeChat (43101) is recorded, not retried, and the message falls to the bot", async () => {
    const [member] = await createMembers(s, 1, `rr${kind}`);
    await consent(member.id, "tpl-reminder", 1);
    await bind("member", member.id, `wxid-rr-${kind}`);
    s.wechat.refuseOpenids.add(`rr${kind}-0`);
    await queue({ memberId: member.id });
    await deliverDue(s.deps, s.clock.now());
    const [message] = await messagesOf({ memberId: member.id });
    expect(message).toMatchObject({ status: "queued", channel: "bot", contactId: `wxid-rr-${kind}`, refusedChannels: "subscribe" });
    expect(message.lastError).toContain("43101");
    expect(await consentLeft(member.id, "tpl-reminder")).toBe(0);
    await deliverDue(s.deps, s.clock.now()); // the router leaves a bot-channel message to the bot
    expect((await messagesOf({ id: message.id }))[0].attempts).toBe(1);
  });

  it("a refusal with no other channel ends in a call task", async () => {
    const [member] = await createMembers(s, 1, `rq${kind}`);
    await consent(member.id, "tpl-reminder", 1);
    s.wechat.refuseOpenids.add(`rq${kind}-0`);
    await queue({ memberId: member.id });
    await deliverDue(s.deps, s.clock.now());
    const [message] = await messagesOf({ memberId: member.id });
    expect(message).toMatchObject({ status: "no_channel", channel: "call", refusedChannels: "subscribe" });
    expect(await s.t.db.read((m) => m.countBy(CallTask, { messageId: message.id }))).toBe(1);
  });

  it("a timeout retries with backoff and gives the consent back; after the last attempt the message is dead and visible", async () => {
    const [member] = await createMembers(s, 1, `rt${kind}`);
    await consent(member.id, "tpl-reminder", 1);
    s.wechat.stallOpenids.add(`rt${kind}-0`);
    await queue({ memberId: member.id });
    await deliverDue(s.deps, s.clock.now());
    let [message] = await messagesOf({ memberId: member.id });
    expect(message).toMatchObject({ status: "queued", channel: null, attempts: 1 });
    expect(message.nextAttemptAt.getTime()).toBe(s.clock.now().getTime() + 30_000);
    expect(await consentLeft(member.id, "tpl-reminder")).toBe(1);
    await deliverDue(s.deps, s.clock.now()); // not due yet
    expect((await messagesOf({ id: message.id }))[0].attempts).toBe(1);
    for (let i = 0; i < 4; i++) {
      s.clock.advance(3 * 3600_000);
      await deliverDue(s.deps, s.clock.now());
    }
    [message] = await messagesOf({ id: message.id });
    expect(message).toMatchObject({ status: "failed", channel: "subscribe", attempts: 5 });
    expect(message.lastError).toContain("订阅消息发送失败");
    const manager = await s.loginStaff("manager", 1);
    const day = await s.http.get("/api/v1/staff/outbox").set("Authorization", manager.auth).query({ status: "failed", date: "2026-11-25" }).expect(200);
    expect(day.body.items.map((i: { id: number }) => i.id)).toContain(message.id);
    expect(day.body.counts.failed).toBeGreaterThanOrEqual(1);
    s.clock.set(shanghaiInstant("2026-11-25", "10:00"));
  });

  it("fetches the access token once for many messages, and once more when WeChat says it expired", async () => {
    const members = await createMembers(s, 3, `rk${kind}`);
    for (const member of members) await consent(member.id, "tpl-reminder", 1);
    const before = s.wechat.stableTokenCalls;
    await queue({ memberId: members[0].id });
    await queue({ memberId: members[1].id });
    await deliverDue(s.deps, s.clock.now());
    expect(s.wechat.stableTokenCalls - before).toBeLessThanOrEqual(1);
    s.wechat.tokenGeneration++;
    await queue({ memberId: members[2].id });
    await deliverDue(s.deps, s.clock.now());
    expect(s.wechat.stableTokenCalls - before).toBeLessThanOrEqual(2);
    const sent = await messagesOf({ memberId: members[2].id });
    expect(sent[0]).toMatchObject({ status: "sent", channel: "subscribe" });
    s.wechat.tokenGeneration = 1;
  });

  it("staff without a bound WeChat contact get the message in their inbox", async () => {
    const agent = await s.loginStaff("agent", 1);
    await queue({ staffId: agent.id, kind: "staff_alert", vars: { text: "有新的投诉待处理" } });
    await deliverDue(s.deps, s.clock.now());
    const inbox = await s.http.get("/api/v1/staff/inbox").set("Authorization", agent.auth).expect(200);
    expect(inbox.body.unread).toBe(1);
    expect(inbox.body.items[0]).toMatchObject({ text: "有新的投诉待处理", channel: "inbox", readAt: null });
    await s.http.post(`/api/v1/staff/inbox/${inbox.body.items[0].id}/read`).set("Authorization", agent.auth).expect(200);
    expect((await s.http.get("/api/v1/staff/inbox").set("Authorization", agent.auth).query({ unread: "true" })).body).toMatchObject({ unread: 0, items: [] });
    const stranger = await s.loginStaff("agent", 1);
    expect((await s.http.post(`/api/v1/staff/inbox/${inbox.body.items[0].id}/read`).set("Authorization", stranger.auth)).status).toBe(404);
  });

  it("a message commits with the business change that causes it, or not at all", async () => {
    const [member] = await createMembers(s, 1, `rx${kind}`);
    await expect(
      s.t.db.tx(async (m) => {
        await enqueue(m, { kind: "booking_reminder", memberId: member.id, storeId: 1, vars: reminderVars, dedupeKey: `rollback:${kind}` }, s.clock.now());
        throw new Error("the business change failed");
      }),
    ).rejects.toThrow("the business change failed");
    expect(await messagesOf({ dedupeKey: `rollback:${kind}` })).toHaveLength(0);
    // and the same dedupe key twice queues once
    expect(await queue({ memberId: member.id, dedupeKey: `twice:${kind}` })).toBe(true);
    expect(await queue({ memberId: member.id, dedupeKey: `twice:${kind}` })).toBe(false);
    expect(await messagesOf({ dedupeKey: `twice:${kind}` })).toHaveLength(1);
  });
});
