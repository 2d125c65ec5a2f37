import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

const kb = {
  name: "测试知识库",
  faqs: Array.from({ length: 25 }, (_, i) => ({
    id: `q${String(i).padStart(2, "0")}`,
    question: i === 7 ? "洗车要多久？" : `问题${i}`,
    alternates: i === 12 ? ["可以刷卡吗", "支持100%退款吗"] : [],
    answer: i === 20 ? "保养后可以免费洗车一次。" : `答案${i}`,
  })),
};

describe.each(DATABASE_KINDS)("the staff FAQ list, paged and searched on the server, on %s", (kind) => {
  let s: TestApp;
  let manager: string;
  let agent: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    manager = (await s.loginStaff("manager", null)).auth;
    agent = (await s.loginStaff("agent", null)).auth;
    await s.http.post("/api/v1/staff/faqs/import").set("Authorization", manager).send(kb).expect(200);
    await s.http.delete("/api/v1/staff/faqs/q03").set("Authorization", manager).expect(200);
  });
  afterAll(() => s.close());

  const list = (query: Record<string, string | number>) => s.http.get("/api/v1/staff/faqs").set("Authorization", agent).query(query);
  const ids = (body: { items: { id: string }[] }) => body.items.map((f) => f.id);

  it("pages in knowledge-base order with the total, the name and the version", async () => {
    const first = (await list({ pageSize: 10 }).expect(200)).body;
    expect(first).toMatchObject({ name: "测试知识库", total: 25, page: 1, pageSize: 10, version: expect.any(Number) });
    expect(ids(first)).toEqual(kb.faqs.slice(0, 10).map((f) => f.id));
    expect(ids((await list({ pageSize: 10, page: 3 }).expect(200)).body)).toEqual(["q20", "q21", "q22", "q23", "q24"]);
    expect((await list({ page: 2 }).expect(200)).body).toMatchObject({ pageSize: 20, items: expect.any(Array) });
    expect((await list({ page: 9 }).expect(200)).body).toMatchObject({ total: 25, items: [] });
  });

  it("filters active or inactive and searches every word in the question, an alternate or the answer", async () => {
    expect((await list({ active: "true" }).expect(200)).body.total).toBe(24);
    expect(ids((await list({ active: "false" }).expect(200)).body)).toEqual(["q03"]);
    expect(ids((await list({ q: "洗车" }).expect(200)).body)).toEqual(["q07", "q20"]);
    expect(ids((await list({ q: "刷卡" }).expect(200)).body)).toEqual(["q12"]);
    expect(ids((await list({ q: "保养 免费" }).expect(200)).body)).toEqual(["q20"]);
    expect(ids((await list({ q: "洗车 多久" }).expect(200)).body)).toEqual(["q07"]);
    expect(ids((await list({ q: "100%" }).expect(200)).body)).toEqual(["q12"]);
    expect((await list({ q: "%" }).expect(200)).body.total).toBe(1); // a literal percent sign, not "anything"
    expect((await list({ q: "问题3", active: "true" }).expect(200)).body.total).toBe(0);
  });

  it("refuses bad paging and search with a 400", async () => {
    for (const query of [{ page: 0 }, { pageSize: 500 }, { q: "" }, { q: "长".repeat(101) }, { active: "yes" }, { category: "x" }] as Record<string, string | number>[]) {
      const res = await list(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
  });

  it("leaves the export (all active FAQs, unpaged) and the bot's matching as they were", async () => {
    const exported = (await s.http.get("/api/v1/staff/faqs/export").set("Authorization", agent).expect(200)).body;
    expect(exported.faqs).toHaveLength(24);
    expect((await s.http.post("/api/v1/faq/match").send({ q: "洗车要多久" }).expect(200)).body).toMatchObject({ kind: "answer", faq: { id: "q07" } });
    expect((await s.http.get("/api/v1/faq/items").expect(200)).body.items).toHaveLength(24);
  });
});
