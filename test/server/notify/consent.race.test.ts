import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../../server/notify/deliver.js";
import { OutboxMessage, SubscribeConsent } from "../../../server/notify/notify.entity.js";
import { enqueue } from "../../../server/notify/outbox.service.js";
import { shanghaiInstant } from "../../../server/stores/calendar.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { RACE_KINDS } from "../../helpers/databases.js";
import { createMembers } from "../../helpers/instances.js";
import { NOTIFY_ENV } from "../../helpers/notify.js";

const vars = { bookingId: 1, bookingNo: "BK1", storeName: "浦东店", serviceNames: "常规保养", start: "2026-11-26 09:30", plate: "沪A12345" };

describe.each(RACE_KINDS.filter((k) => k !== "sqlite"))("subscribe consents under races on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind, NOTIFY_ENV);
    s.clock.set(shanghaiInstant("2026-11-25", "10:00"));
  });
  afterAll(() => s.close());

  it("200 parallel accept reports each add one consent; a retried report with its Idempotency-Key adds nothing", async () => {
    const [member] = await createMembers(s, 1, `ca${kind}`);
    const report = (key?: string) => {
      const req = s.http.post("/api/v1/me/subscriptions").set("Authorization", member.auth);
      return (key ? req.set("Idempotency-Key", key) : req).send({ results: { "tpl-reminder": "accept" } });
    };
    const results = await Promise.all(Array.from({ length: 200 }, () => report()));
    expect(results.filter((r) => r.status !== 200).map((r) => r.body)).toEqual([]);
    const retried = await Promise.all(Array.from({ length: 50 }, () => report("consent-retry-0001")));
    expect(retried.every((r) => r.status === 200)).toBe(true);
    const row = await s.t.db.read((m) => m.findOneByOrFail(SubscribeConsent, { memberId: member.id, templateId: "tpl-reminder" }));
    expect(row.remaining).toBe(201);
  });

  it("300 messages for a member with 100 consents, delivered by 6 routers at once: 100 go as subscribe messages, each once, none below zero", async () => {
    const [member] = await createMembers(s, 1, `cd${kind}`);
    await s.t.db.tx((m) => m.insert(SubscribeConsent, { memberId: member.id, templateId: "tpl-reminder", remaining: 100, updatedAt: new Date() }));
    for (let i = 0; i < 300; i += 50) {
      await s.t.db.tx(async (m) => {
        for (let j = i; j < i + 50; j++) await enqueue(m, { kind: "booking_reminder", memberId: member.id, storeId: 1, vars, dedupeKey: `cd:${kind}:${j}` }, s.clock.now());
      });
    }
    const before = s.wechat.subscribeSent.filter((x) => x.touser === `cd${kind}-0`).length;
    const routers = Array.from({ length: 6 }, (_, i) => ({ ...s.deps, instance: `router-${i}` }));
    await Promise.all(routers.map((deps) => deliverDue(deps, s.clock.now(), 300)));
    const rows = await s.t.db.read((m) => m.findBy(OutboxMessage, { memberId: member.id }));
    expect(rows).toHaveLength(300);
    expect(rows.filter((r) => r.channel === "subscribe" && r.status === "sent")).toHaveLength(100);
    expect(rows.filter((r) => r.status === "no_channel" && r.channel === "call")).toHaveLength(200);
    expect(rows.every((r) => r.attempts === 1)).toBe(true); // no message was routed twice
    expect(s.wechat.subscribeSent.filter((x) => x.touser === `cd${kind}-0`).length - before).toBe(100);
    const row = await s.t.db.read((m) => m.findOneByOrFail(SubscribeConsent, { memberId: member.id, templateId: "tpl-reminder" }));
    expect(row.remaining).toBe(0);
  });
});
