import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ContactBinding } from "../../../server/notify/notify.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { NOTIFY_ENV } from "../../helpers/notify.js";
import { bindWithCode, bot, boundMember, boundStaff, newContact } from "./bot.fixtures.js";

describe.each(DATABASE_KINDS)("bot binding on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind, NOTIFY_ENV);
    s.clock.set("2026-11-25T02:00:00Z");
  });
  afterAll(() => s.close());
  const codeFor = async (auth: string) => (await s.http.post("/api/v1/me/bot-binding/code").set("Authorization", auth).expect(200)).body as { code: string; expiresAt: string };
  const bindingOf = (contactId: string) => s.t.db.read((m) => m.findOneBy(ContactBinding, { botAccount: "shop-bot", contactId }));

  it("issues a 6-digit code valid 10 minutes; a new request replaces the old one", async () => {
    const { auth } = await s.loginMember(`bind-a-${kind}`, 1);
    const first = await codeFor(auth);
    expect(first.code).toMatch(/^\d{6}$/);
    expect(new Date(first.expiresAt).getTime() - s.clock.now().getTime()).toBe(10 * 60_000);
    const second = await codeFor(auth);
    const contactId = newContact();
    if (second.code !== first.code) {
      const old = await bot(s, "/bindings", { contactId, code: first.code });
      expect(old.status).toBe(409);
      expect(old.body.error).toMatchObject({ code: "BIND_CODE_INVALID", details: { attemptsLeft: 4 } });
    }
    expect((await bot(s, "/bindings", { contactId, code: second.code })).status).toBe(200);
    expect((await s.http.get("/api/v1/me/bot-binding").set("Authorization", auth).expect(200)).body).toMatchObject({ bound: true });
  });

  it("a code works once, and not after its 10 minutes", async () => {
    const { auth, member } = await s.loginMember(`bind-b-${kind}`, 1);
    const { code } = await codeFor(auth);
    const contactId = newContact();
    const bound = await bot(s, "/bindings", { contactId, code });
    expect(bound.status).toBe(200);
    expect(bound.body).toMatchObject({ type: "member" });
    expect((await bindingOf(contactId))).toMatchObject({ subjectType: "member", subjectId: member.id });
    const again = await bot(s, "/bindings", { contactId: newContact(), code });
    expect(again.body.error.code).toBe("BIND_CODE_INVALID");
    const late = await codeFor(auth);
    s.clock.advance(10 * 60_000 + 1);
    expect((await bot(s, "/bindings", { contactId: newContact(), code: late.code })).body.error.code).toBe("BIND_CODE_INVALID");
    s.clock.set("2026-11-25T02:00:00Z");
  });

  it("5 wrong codes lock the contact for 30 minutes, even for the right code; after that it may try again", async () => {
    const { auth } = await s.loginMember(`bind-c-${kind}`, 1);
    const contactId = newContact();
    const { code } = await codeFor(auth);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, "0");
    for (let left = 4; left >= 1; left--) {
      const res = await bot(s, "/bindings", { contactId, code: wrong });
      expect(res.status).toBe(409);
      expect(res.body.error.details.attemptsLeft).toBe(left);
    }
    const fifth = await bot(s, "/bindings", { contactId, code: wrong });
    expect(fifth.status).toBe(423);
    expect(fifth.body.error).toMatchObject({ code: "BIND_LOCKED", details: { attemptsLeft: 0 } });
    expect(new Date(fifth.body.error.details.lockedUntil).getTime()).toBe(s.clock.now().getTime() + 30 * 60_000);
    expect((await bot(s, "/bindings", { contactId, code })).status).toBe(423);
    s.clock.advance(30 * 60_000);
    const fresh = await codeFor(auth);
    expect((await bot(s, "/bindings", { contactId, code: fresh.code })).status).toBe(200);
    s.clock.set("2026-11-25T02:00:00Z");
  });

  it("forgets wrong tries 30 minutes after the last one (no lock)", async () => {
    const { auth } = await s.loginMember(`bind-d-${kind}`, 1);
    const contactId = newContact();
    const { code } = await codeFor(auth);
    const wrong = String((Number(code) + 3) % 1_000_000).padStart(6, "0");
    for (let i = 0; i < 4; i++) await bot(s, "/bindings", { contactId, code: wrong }).expect(409);
    s.clock.advance(30 * 60_000);
    expect((await bot(s, "/bindings", { contactId, code: wrong })).body.error.details.attemptsLeft).toBe(4);
    s.clock.set("2026-11-25T02:00:00Z");
  });

  it("bad input is a coded 400, not a 5xx", async () => {
    for (const body of [{ contactId: "x", code: "12345" }, { contactId: "", code: "123456" }, { contactId: "x".repeat(129), code: "123456" }, { contactId: "x", code: 123456 }]) {
      expect((await bot(s, "/bindings", body)).body.error.code).toBe("VALIDATION_FAILED");
    }
    expect((await s.http.post("/api/v1/bot/bindings").send({ contactId: "x", code: "123456" })).status).toBe(401);
  });

  it("binding a new contact moves the member's binding; unbinding works from the member's side and from the contact", async () => {
    const { auth, member, contactId } = await boundMember(s);
    const other = newContact();
    await bindWithCode(s, auth, other);
    expect(await bindingOf(contactId)).toBeNull();
    expect(await bindingOf(other)).toMatchObject({ subjectId: member.id });
    await s.http.delete("/api/v1/me/bot-binding").set("Authorization", auth).expect(204);
    expect(await bindingOf(other)).toBeNull();
    expect((await s.http.get("/api/v1/me/bot-binding").set("Authorization", auth).expect(200)).body).toEqual({ bound: false, since: null });
    await bindWithCode(s, auth, other);
    await bot(s, "/bindings/remove", { contactId: other }).expect(204);
    expect(await bindingOf(other)).toBeNull();
    const ctx = await bot(s, "/context", { contactId: other }).expect(200);
    expect(ctx.body).toEqual({ binding: null, dialog: null, handoff: null });
  });

  it("staff bind their WeChat the same way, and the context tells member from staff", async () => {
    const agent = await s.loginStaff("agent", 1);
    const staff = await boundStaff(s, agent);
    expect((await bot(s, "/context", { contactId: staff.contactId }).expect(200)).body.binding).toEqual({ type: "staff", staffId: agent.id, name: "测试agent", role: "agent" });
    const { contactId, member } = await boundMember(s, "张三丰");
    expect((await bot(s, "/context", { contactId }).expect(200)).body.binding).toEqual({ type: "member", memberId: member.id, maskedName: "张**", tierName: expect.any(String) });
    await s.http.delete("/api/v1/staff/me/bot-binding").set("Authorization", agent.auth).expect(204);
    expect((await bot(s, "/context", { contactId: staff.contactId }).expect(200)).body.binding).toBeNull();
  });

  it("keeps the dialog state 30 minutes; null clears it", async () => {
    const contactId = newContact();
    await bot(s, "/dialog", { contactId, state: { flow: "complaint", step: 2, category: "price" } }).expect(204);
    expect((await bot(s, "/context", { contactId })).body.dialog).toEqual({ flow: "complaint", step: 2, category: "price" });
    s.clock.advance(30 * 60_000);
    expect((await bot(s, "/context", { contactId })).body.dialog).toBeNull();
    await bot(s, "/dialog", { contactId, state: { step: 1 } }).expect(204);
    await bot(s, "/dialog", { contactId, state: null }).expect(204);
    expect((await bot(s, "/context", { contactId })).body.dialog).toBeNull();
    expect((await bot(s, "/dialog", { contactId, state: { big: "x".repeat(2000), more: "y".repeat(2000), evenMore: Array(300).fill("z".repeat(20)) } })).body.error.code).toBe("DIALOG_TOO_LARGE");
    s.clock.set("2026-11-25T02:00:00Z");
  });
});
