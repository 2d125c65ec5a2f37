import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BotBindAttempt } from "../../../server/bot/bot.entity.js";
import { ContactBinding } from "../../../server/notify/notify.entity.js";
import { RACE_KINDS } from "../../helpers/databases.js";
import { createMembers, startTwoInstances, type TwoInstances } from "../../helpers/instances.js";

// the account a non-production server knows without BOT_TOKENS
const DEV_BOT = "Bearer dev-bot-token-change-me-0123456789abcdef";

describe.each(RACE_KINDS)("bind codes under parallel requests over two instances on %s", (kind) => {
  let x: TwoInstances;
  beforeAll(async () => {
    x = await startTwoInstances(kind);
  });
  afterAll(() => x.close());

  it("50 parallel wrong codes from one contact pass at most 5 checks and lock it exactly once", async () => {
    const [member] = await createMembers(x.s, 1, `brace${kind}`);
    const { code } = (await x.call(0, "POST", "/api/v1/me/bot-binding/code", member.auth)).body;
    const wrong = String((Number(code) + 7) % 1_000_000).padStart(6, "0");
    const contactId = `wxid-race-${kind}`;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => x.call(i, "POST", "/api/v1/bot/bindings", DEV_BOT, { contactId, code: wrong })));
    expect(results.filter((r) => ![409, 423].includes(r.status)).map((r) => [r.status, r.body])).toEqual([]);
    const invalid = results.filter((r) => r.status === 409);
    const locked = results.filter((r) => r.status === 423);
    // 4 wrong tries answered with tries left, the fifth locked, every other one refused unchecked
    expect(invalid.map((r) => r.body.error.details.attemptsLeft).sort()).toEqual([1, 2, 3, 4]);
    expect(locked.filter((r) => r.body.error.details.attemptsLeft === 0)).toHaveLength(1);
    expect(locked).toHaveLength(46);
    expect(new Set(locked.map((r) => r.body.error.details.lockedUntil)).size).toBe(1);
    const attempt = await x.s.t.dataSource.manager.findOneByOrFail(BotBindAttempt, { botAccount: "dev-bot", contactId });
    expect(attempt.failures).toBe(5);
    // the right code is refused too while locked
    expect((await x.call(0, "POST", "/api/v1/bot/bindings", DEV_BOT, { contactId, code })).status).toBe(423);
  }, 60_000);

  it("20 contacts racing with one right code: one binds, the code is used once", async () => {
    const [member] = await createMembers(x.s, 1, `bone${kind}`);
    const { code } = (await x.call(0, "POST", "/api/v1/me/bot-binding/code", member.auth)).body;
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => x.call(i, "POST", "/api/v1/bot/bindings", DEV_BOT, { contactId: `wxid-one-${kind}-${i}`, code })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).map((r) => r.body.error.code)).toEqual(Array(19).fill("BIND_CODE_INVALID"));
    const bindings = await x.s.t.dataSource.manager.findBy(ContactBinding, { subjectType: "member", subjectId: member.id });
    expect(bindings).toHaveLength(1);
  }, 60_000);
});
