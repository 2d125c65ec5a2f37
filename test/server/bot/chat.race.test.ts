import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../../server/notify/deliver.js";
import { ContactBinding, OutboxMessage } from "../../../server/notify/notify.entity.js";
import { enqueue } from "../../../server/notify/outbox.service.js";
import { RACE_KINDS } from "../../helpers/databases.js";
import { createMembers, startTwoInstances, type TwoInstances } from "../../helpers/instances.js";
import { keepBotOnline } from "../../helpers/notify.js";

const DEV_BOT = "Bearer dev-bot-token-change-me-0123456789abcdef";

describe.each(RACE_KINDS)("chat relay claims in parallel over two instances on %s", (kind) => {
  let x: TwoInstances;
  beforeAll(async () => {
    x = await startTwoInstances(kind);
    await keepBotOnline(x.s, "dev-bot");
    // both instances share this config: a gap no slow run can outlast
    Object.assign(x.s.config.notify, { botChatGapSeconds: 60 });
  });
  afterAll(() => x.close());

  it("20 parallel claims hand out one chat line within the account's chat gap, once", async () => {
    const members = await createMembers(x.s, 5, `chat${kind}`);
    const now = new Date();
    await x.s.t.db.tx((m) => m.insert(ContactBinding, members.map((mb) => ({ botAccount: "dev-bot", contactId: `wxid-chat-${kind}-${mb.id}`, subjectType: "member" as const, subjectId: mb.id, createdAt: now }))));
    for (const mb of members) await x.s.t.db.tx((m) => enqueue(m, { kind: "chat_relay", memberId: mb.id, storeId: 1, vars: { text: "【人工客服】您好" }, dedupeKey: `chat:${kind}:${mb.id}` }, now));
    while ((await deliverDue(x.s.deps, now)) > 0);
    const claims = await Promise.all(Array.from({ length: 20 }, (_, i) => x.call(i, "POST", "/api/v1/bot/outbox/claim", DEV_BOT, { max: 5 })));
    expect(claims.map((c) => c.status).filter((st) => st !== 200)).toEqual([]);
    const handed = claims.flatMap((c) => c.body.messages as { id: number; kind: string }[]);
    expect(handed).toHaveLength(1);
    expect(handed[0].kind).toBe("chat_relay");
    const sending = await x.s.t.dataSource.manager.countBy(OutboxMessage, { kind: "chat_relay", status: "sending" });
    expect(sending).toBe(1);
  }, 60_000);
});
