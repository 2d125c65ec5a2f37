import { describe, expect, it } from "vitest";
import { ApiError, type ClaimedMessage } from "../../bot/api-client.js";
import { OutboxLoop, type Sender } from "../../bot/outbox.js";
import { fakeApi } from "./fake-api.js";

const message = (id: number, contactId = `wx-${id}`): ClaimedMessage => ({ id, leaseToken: `lease-${id}`, leaseUntil: "", contactId, kind: "weather_alert", text: `消息 ${id}` });
const until = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
};

/** A loop over a queue of claimable messages; `order` records claims, sends and acks as they happen. */
function loopOver(queue: ClaimedMessage[], send: Sender, ack: (id: number) => Promise<void> = async () => undefined) {
  const order: string[] = [];
  const f = fakeApi({
    claimOutbox: async (max) => {
      order.push(`claim ${max}`);
      return queue.splice(0, max);
    },
    ackOutbox: async (id, body) => {
      order.push(`ack ${id} ${body.result}`);
      await ack(id);
    },
  });
  const loop = new OutboxLoop({ api: f.api, loggedIn: () => true, pollMs: 20, ackRetryMs: 5, send: async (contactId, text) => (order.push(`send ${contactId}`), send(contactId, text)) });
  return { f, loop, order };
}

describe("the outbox loop (fake API)", () => {
  it("claims one message at a time and acks each right after its send", async () => {
    const { loop, order } = loopOver([message(1), message(2)], async () => "sent");
    loop.start();
    await until(() => order.filter((o) => o.startsWith("ack")).length === 2);
    await loop.stop();
    expect(order.slice(0, 6)).toEqual(["claim 1", "send wx-1", "ack 1 sent", "claim 1", "send wx-2", "ack 2 sent"]);
  });

  it("acks refused and failed sends with the reason, and keeps going", async () => {
    const { f, loop } = loopOver([message(1), message(2)], async (contactId) => {
      if (contactId === "wx-1") return "refused";
      throw new Error("puppet not ready");
    });
    loop.start();
    await until(() => f.called("ackOutbox").length === 2);
    await loop.stop();
    expect(f.called("ackOutbox").map((c) => c.args)).toEqual([
      [1, { leaseToken: "lease-1", result: "refused", error: "联系人不存在或已不是好友" }],
      [2, { leaseToken: "lease-2", result: "failed", error: "puppet not ready" }],
    ]);
  });

  it("retries an ack lost to the network or a 5xx, but not a 409 (the lease already went to another claim)", async () => {
    let failures = 2;
    const { loop, order } = loopOver([message(1), message(2)], async () => "sent", async (id) => {
      if (id === 1 && failures-- > 0) throw new ApiError(503, "DB_UNAVAILABLE", "x");
      if (id === 2) throw new ApiError(409, "MESSAGE_LEASE_LOST", "x");
    });
    loop.start();
    await until(() => order.filter((o) => o.startsWith("ack 2")).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await loop.stop();
    expect(order.filter((o) => o.startsWith("ack"))).toEqual(["ack 1 sent", "ack 1 sent", "ack 1 sent", "ack 2 sent"]);
    expect(order.filter((o) => o.startsWith("send"))).toEqual(["send wx-1", "send wx-2"]); // a retried ack never re-sends
  });

  it("does not claim while the bot is logged out", async () => {
    let loggedIn = false;
    const f = fakeApi();
    const loop = new OutboxLoop({ api: f.api, loggedIn: () => loggedIn, pollMs: 10, send: async () => "sent" });
    loop.start();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(f.called("claimOutbox")).toHaveLength(0);
    loggedIn = true;
    await until(() => f.called("claimOutbox").length > 0);
    await loop.stop();
    expect(f.called("claimOutbox")[0].args).toEqual([1]);
  });
});
