import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FaqMiss } from "../../../server/faq/faq.entity.js";
import { MATCH_LIMIT_PER_MINUTE } from "../../../server/faq/rate-limit.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const applianceKb = JSON.parse(readFileSync(join(root, "test/fixtures/faq/appliance-kb.json"), "utf8"));

describe.each(DATABASE_KINDS)("FAQ knowledge base and matching on %s", (kind) => {
  let s: TestApp;
  let manager: string;
  let agent: string;
  let advisor: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    manager = (await s.loginStaff("manager", null)).auth;
    agent = (await s.loginStaff("agent", null)).auth;
    advisor = (await s.loginStaff("advisor", 1)).auth;
  });
  afterAll(() => s.close());

  const match = (q: string) => s.http.post("/api/v1/faq/match").send({ q });

  it("starts with the demo knowledge base and answers from it", async () => {
    const list = await s.http.get("/api/v1/staff/faqs").set("Authorization", agent).expect(200);
    expect(list.body.name).toBe("星途汽车售后服务");
    expect(list.body.items.length).toBeGreaterThanOrEqual(10);
    expect((await match("你们几点开门").expect(200)).body).toMatchObject({ kind: "answer", faq: { id: "store_hours" } });
  });

  it("imports a file by replacing the knowledge base, and exports exactly the file", async () => {
    const imported = await s.http.post("/api/v1/staff/faqs/import").set("Authorization", manager).send(applianceKb).expect(200);
    expect(imported.body).toMatchObject({ name: applianceKb.name, imported: applianceKb.faqs.length, removed: 9 }); // "complaint" is in both
    const exported = await s.http.get("/api/v1/staff/faqs/export").set("Authorization", agent).expect(200);
    expect(exported.body).toEqual(applianceKb);
  });

  it("lets agents read but only managers and admins change the knowledge base; advisors and members see nothing", async () => {
    const faq = { id: "pay_methods", question: "支持哪些付款方式？", alternates: ["能用微信支付吗"], answer: "支持微信、支付宝和银行卡。" };
    expect((await s.http.post("/api/v1/staff/faqs").set("Authorization", agent).send(faq)).body.error.code).toBe("FORBIDDEN");
    expect((await s.http.get("/api/v1/staff/faqs").set("Authorization", advisor)).body.error.code).toBe("FORBIDDEN");
    const { auth: member } = await s.loginMember("faq-member-1");
    expect((await s.http.get("/api/v1/staff/faqs/export").set("Authorization", member)).status).toBe(403);
    expect((await s.http.get("/api/v1/staff/faqs")).status).toBe(401);

    const created = await s.http.post("/api/v1/staff/faqs").set("Authorization", manager).send(faq).expect(201);
    expect(created.body).toMatchObject({ ...faq, active: true });
    expect((await s.http.post("/api/v1/staff/faqs").set("Authorization", manager).send(faq)).body.error.code).toBe("FAQ_ID_TAKEN");
    expect((await match("可以用支付宝付款吗").expect(200)).body).toMatchObject({ kind: "answer", faq: { id: "pay_methods", answer: faq.answer } });

    const updated = await s.http.patch("/api/v1/staff/faqs/pay_methods").set("Authorization", manager).send({ answer: "支持微信、支付宝、银行卡和现金。" }).expect(200);
    expect(updated.body.answer).toBe("支持微信、支付宝、银行卡和现金。");
    expect((await match("可以用支付宝付款吗")).body.faq.answer).toBe("支持微信、支付宝、银行卡和现金。");

    expect((await s.http.delete("/api/v1/staff/faqs/pay_methods").set("Authorization", manager).expect(200)).body.active).toBe(false);
    expect((await match("可以用支付宝付款吗")).body.faq?.id).not.toBe("pay_methods");
    expect((await s.http.get("/api/v1/staff/faqs/export").set("Authorization", agent)).body).toEqual(applianceKb);
    expect((await s.http.get("/api/v1/staff/faqs?active=false").set("Authorization", agent)).body.items.map((f: { id: string }) => f.id)).toEqual(["pay_methods"]);
    expect((await s.http.patch("/api/v1/staff/faqs/nope").set("Authorization", manager).send({ active: true })).body.error.code).toBe("FAQ_NOT_FOUND");
  });

  it("creates a new id once when several managers race for it", async () => {
    const faq = { id: "race_faq", question: "停车收费吗？", alternates: [], answer: "到店客户免费停车。" };
    const results = await Promise.all(Array.from({ length: 8 }, () => s.http.post("/api/v1/staff/faqs").set("Authorization", manager).send(faq)));
    expect(results.map((r) => r.status).sort()).toEqual([201, ...Array(7).fill(409)]);
    expect(new Set(results.filter((r) => r.status === 409).map((r) => r.body.error.code))).toEqual(new Set(["FAQ_ID_TAKEN"]));
    await s.http.delete("/api/v1/staff/faqs/race_faq").set("Authorization", manager).expect(200);
  });

  it("refuses bad input with a 4xx and a Chinese message", async () => {
    const bad = [
      s.http.post("/api/v1/staff/faqs/import").set("Authorization", manager).send({ name: "x", faqs: [applianceKb.faqs[0], applianceKb.faqs[0]] }),
      s.http.post("/api/v1/staff/faqs/import").set("Authorization", manager).send({ name: "x", faqs: [{ id: "a", question: "q" }] }),
      s.http.post("/api/v1/staff/faqs").set("Authorization", manager).send({ id: "有 空格", question: "问", answer: "答" }),
      s.http.patch("/api/v1/staff/faqs/install").set("Authorization", manager).send({}),
      match(""),
      match("问".repeat(201)),
      s.http.post("/api/v1/faq/match").send({ q: 5 }),
    ];
    const codes = [];
    for (const res of await Promise.all(bad)) {
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
      codes.push(res.body.error.code);
    }
    expect(codes[0]).toBe("FAQ_DUPLICATE_ID");
    expect(codes.slice(1)).toEqual(Array(6).fill("VALIDATION_FAILED"));
    expect((await s.http.get("/api/v1/staff/faqs/export").set("Authorization", agent)).body).toEqual(applianceKb);
  });

  it("answers, offers three choices, replies to greetings and thanks, and says when it did not understand", async () => {
    const answer = (await match("空调保修几年？").expect(200)).body;
    expect(answer).toMatchObject({ kind: "answer", faq: { id: "warranty_period", question: "产品保修多久？" } });
    expect(answer.score).toBeGreaterThanOrEqual(0.5);
    const choices = (await match("可以分期吗").expect(200)).body;
    expect(choices.kind).toBe("choices");
    expect(choices.choices).toHaveLength(3);
    expect(choices.choices[0]).toEqual({ id: expect.any(String), question: expect.any(String) });
    // the member replies 1: the bot fetches that FAQ's answer
    const chosen = (await s.http.get(`/api/v1/faq/items/${choices.choices[0].id}`).expect(200)).body;
    expect(chosen).toEqual({ ...choices.choices[0], answer: expect.any(String) });
    expect((await s.http.get("/api/v1/faq/items/nope")).body.error.code).toBe("FAQ_NOT_FOUND");
    const help = (await s.http.get("/api/v1/faq/items").expect(200)).body.items;
    expect(help.map((f: { id: string }) => f.id)).toEqual(applianceKb.faqs.map((f: { id: string }) => f.id));
    expect((await match("你好").expect(200)).body).toEqual({ kind: "greeting", reply: expect.stringMatching(/您好/) });
    expect((await match("好的，谢谢！").expect(200)).body).toEqual({ kind: "thanks", reply: expect.stringMatching(/不客气/) });
    const none = (await match("帮我订一张去上海的机票").expect(200)).body;
    expect(none).toMatchObject({ kind: "none" });
    expect(none.reply).toContain("人工");
  });

  it("understands Traditional characters and full-width text", async () => {
    expect((await match("維修師傅什麼時候上門？").expect(200)).body).toMatchObject({ kind: "answer", faq: { id: "engineer_arrival" } });
    expect((await match("屏幕显示Ｅ１报错").expect(200)).body).toMatchObject({ kind: "answer", faq: { id: "error_code" } });
  });

  it("counts misses by normalized text, most frequent first, and a miss added as an alternate then matches", async () => {
    const question = "能开通分期付款吗";
    expect((await match(question)).body.kind).not.toBe("answer");
    await match("能開通分期付款嗎？");
    await match(" 能开通 分期付款吗! ");
    await match("冰箱的门关不严");
    const misses = (await s.http.get("/api/v1/staff/faq/misses").set("Authorization", agent).expect(200)).body;
    const top = misses.items[0];
    expect(top).toMatchObject({ count: 3, lastKind: expect.stringMatching(/none|choices/) });
    expect(top.text).toContain("分期付款");
    expect(misses.items.find((m: { text: string }) => m.text === "冰箱的门关不严")).toMatchObject({ count: 1 });
    expect(misses.items.some((m: { text: string }) => m.text.includes("机票"))).toBe(true);
    expect(new Date(top.lastSeenAt).getTime()).toBeGreaterThanOrEqual(new Date(top.firstSeenAt).getTime());

    expect((await s.http.post(`/api/v1/staff/faq/misses/${top.id}/resolve`).set("Authorization", agent).send({ faqId: "repair_fee" })).body.error.code).toBe("FORBIDDEN");
    expect((await s.http.post(`/api/v1/staff/faq/misses/${top.id}/resolve`).set("Authorization", manager).send({ faqId: "nope" })).body.error.code).toBe("FAQ_NOT_FOUND");
    const resolved = await s.http.post(`/api/v1/staff/faq/misses/${top.id}/resolve`).set("Authorization", manager).send({ faqId: "repair_fee" }).expect(200);
    expect(resolved.body).toMatchObject({ status: "resolved", faqId: "repair_fee", added: true });
    expect((await s.http.post(`/api/v1/staff/faq/misses/${top.id}/resolve`).set("Authorization", manager).send({})).body.error.code).toBe("FAQ_MISS_CLOSED");
    expect((await match(question).expect(200)).body).toMatchObject({ kind: "answer", faq: { id: "repair_fee" } });
    const listed = (await s.http.get("/api/v1/staff/faqs").set("Authorization", agent)).body.items.find((f: { id: string }) => f.id === "repair_fee");
    expect(listed.alternates).toContain(top.text);

    const other = misses.items.find((m: { text: string }) => m.text === "冰箱的门关不严");
    await s.http.post(`/api/v1/staff/faq/misses/${other.id}/resolve`).set("Authorization", manager).send({}).expect(200);
    const after = (await s.http.get("/api/v1/staff/faq/misses").set("Authorization", agent)).body.items.map((m: { id: number }) => m.id);
    expect(after).not.toContain(top.id);
    expect(after).not.toContain(other.id);
    await match("冰箱的门关不严");
    expect((await s.t.dataSource.manager.findOneByOrFail(FaqMiss, { id: other.id })).status).toBe("dismissed");
    expect((await s.http.post("/api/v1/staff/faq/misses/999999/resolve").set("Authorization", manager).send({})).body.error.code).toBe("FAQ_MISS_NOT_FOUND");
  });

  it("limits anonymous matching per address with a 429", async () => {
    const fresh = await startTestApp(kind);
    try {
      for (let i = 0; i < MATCH_LIMIT_PER_MINUTE; i++) await fresh.http.post("/api/v1/faq/match").send({ q: "你好" }).expect(200);
      const limited = await fresh.http.post("/api/v1/faq/match").send({ q: "你好" });
      expect(limited.status).toBe(429);
      expect(limited.body.error.code).toBe("FAQ_RATE_LIMITED");
    } finally {
      await fresh.close();
    }
  });
});
