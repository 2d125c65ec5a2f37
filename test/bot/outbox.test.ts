import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OutboxMessage } from "../../server/notify/notify.entity.js";
import { alertsFor, BotHarness } from "./harness.js";

const rows = (h: BotHarness, ids: number[]) => h.s.t.db.read((m) => m.find(OutboxMessage, { where: ids.map((id) => ({ id })), order: { id: "ASC" } }));

describe("outbox delivery by the bot (mock puppet, real server)", () => {
  let h: BotHarness;
  beforeAll(async () => {
    h = await BotHarness.start();
  });
  afterAll(() => h.close());

  it("sends each claimed message to its contact once and acks it sent", async () => {
    const names = ["收件甲", "收件乙", "收件丙"];
    for (const n of names) h.contact(n);
    const ids = await alertsFor(h, names.map((n) => `wx-${n}`), "ob1");
    await h.pump();
    for (const [i, n] of names.entries()) expect(h.inbox.filter((m) => m.to === `wx-${n}`).map((m) => m.text)).toEqual([`【浦东店】暴雨预警 ob1-${i}`]);
    expect((await rows(h, ids)).map((r) => [r.channel, r.status])).toEqual(names.map(() => ["bot", "sent"]));
  });

  it("refuses a contact it cannot find or who is no longer a friend, so the router picks the next channel", async () => {
    h.contact("前好友", { friend: false });
    const ids = await alertsFor(h, ["wx-前好友", "wx-不存在的人"], "ob2");
    await h.pump(2);
    expect(h.inbox.filter((m) => m.text.includes("ob2"))).toEqual([]);
    for (const r of await rows(h, ids)) {
      expect(r.refusedChannels.split(",")).toContain("bot");
      expect(r.channel).not.toBe("bot");
    }
  });

  it("never sends into a group: an outbox message addressed to a room id is refused", async () => {
    const room = h.room("车主群", [h.contact("群友")]);
    const [id] = await alertsFor(h, [room.id], "ob3");
    await h.pump(2);
    expect(h.inbox.filter((m) => m.text.includes("ob3"))).toEqual([]);
    expect((await rows(h, [id]))[0].refusedChannels).toContain("bot");
  });

  it("when the bot logs out, or its heartbeat stops for 90 s, the router falls back instead of queuing for it", async () => {
    h.contact("离线收件人");
    // silent: logged in but no heartbeat for longer than BOT_OFFLINE_AFTER_SECONDS
    h.s.clock.advance(91_000);
    const [silent] = await alertsFor(h, ["wx-离线收件人"], "ob4");
    await h.pump();
    const [first] = await rows(h, [silent]);
    expect(first.channel).not.toBe("bot");
    expect(first.status).toBe("no_channel"); // no subscribe consent and no bot: the next channel down, not a wait for the bot
    // back: the heartbeat makes it a channel again
    await h.api.heartbeat({ loggedIn: true, userName: "门店助手" });
    const [again] = await alertsFor(h, ["wx-离线收件人2"], "ob5");
    h.contact("离线收件人2");
    await h.pump();
    expect((await rows(h, [again]))[0]).toMatchObject({ channel: "bot", status: "sent" });
    // logged out: the bot's last beat says so
    await h.running.stop();
    const status = await h.s.http.get("/api/v1/staff/bot/status").set("Authorization", (await h.s.loginStaff("manager", 1)).auth).expect(200);
    expect(status.body).toEqual(expect.arrayContaining([expect.objectContaining({ account: "shop-bot", loggedIn: false, online: false })]));
    const [out] = await alertsFor(h, ["wx-离线收件人3"], "ob6");
    await h.pump();
    const [last] = await rows(h, [out]);
    expect([last.status, last.channel === "bot"]).toEqual(["no_channel", false]);
    await h.restart();
  });
});
