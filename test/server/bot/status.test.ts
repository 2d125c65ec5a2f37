import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { deliverDue } from "../../../server/notify/deliver.js";
import { OutboxMessage } from "../../../server/notify/notify.entity.js";
import { enqueue } from "../../../server/notify/outbox.service.js";
import { shanghaiInstant } from "../../../server/stores/calendar.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { NOTIFY_ENV } from "../../helpers/notify.js";
import { bot, boundMember, boundStaff, heartbeat } from "./bot.fixtures.js";

const alert = { storeName: "浦东店", text: "暴雨预警：请将车辆停放在地势较高处" };

describe.each(DATABASE_KINDS)("bot status and the router's bot channel on %s", (kind) => {
  let s: TestApp;
  let n = 0;
  beforeAll(async () => {
    s = await startTestApp(kind, { ...NOTIFY_ENV, BOT_DAILY_LIMIT: "1", BOT_MIN_GAP_SECONDS: "20", BOT_JITTER_SECONDS: "0", BOT_CHAT_GAP_SECONDS: "2" });
  });
  afterAll(() => s.close());
  beforeEach(async () => {
    s.clock.set(shanghaiInstant("2026-11-25", "10:00"));
    s.clock.advance(++n * 86_400_000); // a new day each: a fresh daily budget
    await s.t.db.tx((m) => m.query("UPDATE outbox_message SET status = 'cancelled' WHERE status IN ('queued', 'sending', 'held')"));
  });
  const send = (to: { memberId: number } | { staffId: number }, kind: "weather_alert" | "chat_relay" | "staff_alert", key: string) =>
    s.t.db.tx((m) => enqueue(m, { kind, ...to, storeId: 1, vars: kind === "weather_alert" ? alert : { text: "您好，已为您安排返修" }, dedupeKey: `${key}:${kind}:${n}` }, s.clock.now()));
  const rowOf = (key: string, k: string) => s.t.db.read((m) => m.findOneByOrFail(OutboxMessage, { dedupeKey: `${key}:${k}:${n}` }));
  const claim = (max = 5) => bot(s, "/outbox/claim", { max }).expect(200);

  it("records the heartbeat and shows staff whether the account is online (logged in, heard from within 90 s)", async () => {
    const res = await heartbeat(s);
    expect(res.body).toEqual({ account: "shop-bot", loggedIn: true, lastSeenAt: s.clock.now().toISOString() });
    const manager = await s.loginStaff("manager", 1);
    const status = () => s.http.get("/api/v1/staff/bot/status").set("Authorization", manager.auth).expect(200);
    expect((await status()).body).toEqual([{ account: "shop-bot", loggedIn: true, userName: "星途客服", lastSeenAt: s.clock.now().toISOString(), online: true }]);
    s.clock.advance(91_000);
    expect((await status()).body[0]).toMatchObject({ loggedIn: true, online: false });
    await bot(s, "/heartbeat", { loggedIn: false }).expect(200);
    expect((await status()).body[0]).toMatchObject({ loggedIn: false, online: false, userName: "星途客服" });
    const advisor = await s.loginStaff("advisor", 1);
    expect((await s.http.get("/api/v1/staff/bot/status").set("Authorization", advisor.auth)).status).toBe(403);
  });

  it("uses the bot while it is online and falls back while it is not: staff to the inbox, a member's service notice to a call task", async () => {
    const member = await boundMember(s);
    const agent = await boundStaff(s, await s.loginStaff("agent", 1));
    await heartbeat(s);
    await send({ memberId: member.member.id }, "weather_alert", "on");
    await deliverDue(s.deps, s.clock.now());
    expect(await rowOf("on", "weather_alert")).toMatchObject({ status: "queued", channel: "bot", contactId: member.contactId });
    s.clock.advance(91_000); // silent past the window
    await send({ staffId: agent.id }, "staff_alert", "off");
    await deliverDue(s.deps, s.clock.now());
    expect(await rowOf("off", "staff_alert")).toMatchObject({ status: "sent", channel: "inbox" });
    // the member's notice that waited for the bot does not wait forever: re-routed, no channel carries it, so the store calls
    expect(await rowOf("on", "weather_alert")).toMatchObject({ status: "no_channel", channel: "call", contactId: null });
    await heartbeat(s, false);
    await send({ staffId: agent.id }, "staff_alert", "out");
    await deliverDue(s.deps, s.clock.now());
    expect(await rowOf("out", "staff_alert")).toMatchObject({ status: "sent", channel: "inbox" });
    await heartbeat(s);
    await send({ staffId: agent.id }, "staff_alert", "back");
    await deliverDue(s.deps, s.clock.now());
    expect(await rowOf("back", "staff_alert")).toMatchObject({ status: "queued", channel: "bot", contactId: agent.contactId });
  });

  it("a bot message already leased to the bot is left alone when the account goes quiet", async () => {
    const member = await boundMember(s);
    await heartbeat(s);
    await send({ memberId: member.member.id }, "weather_alert", "lease");
    await deliverDue(s.deps, s.clock.now());
    const [handed] = (await claim(1)).body.messages;
    expect(handed.contactId).toBe(member.contactId);
    s.clock.advance(91_000);
    await deliverDue(s.deps, s.clock.now());
    expect(await rowOf("lease", "weather_alert")).toMatchObject({ status: "sending", channel: "bot" });
    await bot(s, `/outbox/${handed.id}/ack`, { leaseToken: handed.leaseToken, result: "sent" }).expect(200);
  });

  it("a message an offline bot never acknowledged goes back to the router once its lease ran out", async () => {
    const agent = await boundStaff(s, await s.loginStaff("agent", 1));
    await heartbeat(s);
    await send({ staffId: agent.id }, "staff_alert", "lost");
    await deliverDue(s.deps, s.clock.now());
    const [handed] = (await claim(1)).body.messages;
    expect(handed.contactId).toBe(agent.contactId);
    s.clock.advance(s.config.notify.botLeaseSeconds * 1000 + 1); // the bot died mid-batch and stays away
    await deliverDue(s.deps, s.clock.now());
    expect(await rowOf("lost", "staff_alert")).toMatchObject({ status: "sent", channel: "inbox", leaseToken: null });
    expect((await bot(s, `/outbox/${handed.id}/ack`, { leaseToken: handed.leaseToken, result: "sent" })).status).toBe(404);
  });

  it("hands out chat relays outside the daily budget and the one-per-contact rule, 2 s apart", async () => {
    const member = await boundMember(s);
    await heartbeat(s);
    await send({ memberId: member.member.id }, "weather_alert", "budget"); // takes the one unprompted place of the day
    await deliverDue(s.deps, s.clock.now());
    expect((await claim(1)).body.messages).toHaveLength(1);
    for (const key of ["c1", "c2", "c3"]) await send({ memberId: member.member.id }, "chat_relay", key);
    await deliverDue(s.deps, s.clock.now());
    const first = (await claim()).body.messages;
    expect(first.map((x: { kind: string; text: string }) => [x.kind, x.text])).toEqual([["chat_relay", "您好，已为您安排返修"]]);
    s.clock.advance(1_000);
    expect((await claim()).body.messages).toHaveLength(0);
    s.clock.advance(1_000);
    expect((await claim()).body.messages).toHaveLength(1);
    s.clock.advance(2_000);
    expect((await claim()).body.messages).toHaveLength(1);
  });

  it("a chat relay goes only by the bot: to an offline bot's member it stays no_channel (never a call task), to staff the inbox", async () => {
    const member = await boundMember(s);
    const agent = await boundStaff(s, await s.loginStaff("agent", 1));
    await heartbeat(s, false);
    await send({ memberId: member.member.id }, "chat_relay", "relay-off");
    await send({ staffId: agent.id }, "chat_relay", "relay-off-staff");
    await deliverDue(s.deps, s.clock.now());
    expect(await rowOf("relay-off", "chat_relay")).toMatchObject({ status: "no_channel", channel: null });
    expect(await rowOf("relay-off-staff", "chat_relay")).toMatchObject({ status: "sent", channel: "inbox" });
    const calls = await s.t.db.read((m) => m.query("SELECT COUNT(*) AS n FROM call_task WHERE memberId = ?", [member.member.id]));
    expect(Number(calls[0].n)).toBe(0);
  });
});
