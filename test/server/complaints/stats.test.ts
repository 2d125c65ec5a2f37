import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { periodOf } from "../../../server/complaints/stats.service.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { agentOnDuty, complaintBody } from "../../helpers/complaints.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { investigation, staffTemplate } from "./resolution.fixtures.js";

const HOUR = 3_600_000;
const STORE_2_NAME = '星途汽车4S店（闵行店, "旗舰"）';
type Staff = { auth: string; id: number };

/** What happens to a complaint once filed, hours after its receipt: the owner's reply, an admin's resolution with its compensation, the member's survey an hour later. */
interface Outcome {
  replyAfter?: number;
  resolvedAfter?: number;
  /** a staff coupon of this face value in fen, or points (1 fen each) */
  coupon?: number;
  points?: number;
  survey?: { rating: number; solved: boolean };
}

/** Reads a response body as bytes, whatever its type. */
const asBuffer = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  stream.on("end", () => done(null, Buffer.concat(chunks)));
};

/** A minimal RFC 4180 reader: quoted fields with doubled quotes, commas and line breaks inside. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") row.push(field), (field = "");
    else if (ch === "\r" && text[i + 1] === "\n") row.push(field), rows.push(row), (row = []), (field = ""), i++;
    else field += ch;
  }
  return rows;
}

describe("statistics periods", () => {
  it("puts the days around new year into the ISO week of its Thursday, and months end on their last day", () => {
    expect(periodOf("week", "2027-01-01")).toMatchObject({ key: "2026-W53", from: "2026-12-28", to: "2027-01-03" });
    expect(periodOf("week", "2027-01-04")).toMatchObject({ key: "2027-W01", startsAt: new Date("2027-01-03T16:00:00Z") });
    expect(periodOf("week", "2025-12-29").key).toBe("2026-W01");
    expect(periodOf("month", "2028-02-10")).toMatchObject({ key: "2028-02", from: "2028-02-01", to: "2028-02-29", endsAt: new Date("2028-02-29T16:00:00Z") });
  });
});

describe.each(DATABASE_KINDS)("complaint statistics on %s", (kind) => {
  let s: TestApp;
  let manager: Staff;
  let admin: Staff;
  let storeAgent: Staff;
  const ids: Record<string, number> = {};

  const get = (auth: string, path: string, query: Record<string, string | number>) => s.http.get(path).query(query).set("Authorization", auth);
  const stats = async (auth: string, query: Record<string, string | number>) => {
    const res = await get(auth, "/api/v1/staff/complaint-stats", query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };

  const templates = new Map<number, number>();

  /** Files at `at` through the real API, then replies, resolves and answers the survey through it at the outcome's hours. */
  async function seed(name: string, at: string, file: () => Promise<{ id: number }>, owner: Staff | null, outcome: Outcome = {}, memberAuth?: string) {
    s.clock.set(at);
    const { id } = await file();
    ids[name] = id;
    const received = new Date(at).getTime();
    if (outcome.replyAfter !== undefined && owner) {
      s.clock.set(new Date(received + outcome.replyAfter * HOUR));
      await s.http.post(`/api/v1/staff/complaints/${id}/replies`).set("Authorization", owner.auth).send({ body: "您好，我们已收到并在处理" }).expect(201);
    }
    if (outcome.resolvedAfter === undefined) return;
    s.clock.set(new Date(received + outcome.resolvedAfter * HOUR));
    const compensation = outcome.coupon ? { type: "coupon", templateId: templates.get(outcome.coupon) } : outcome.points ? { type: "points", points: outcome.points } : undefined;
    const resolved = await s.http.post(`/api/v1/staff/complaints/${id}/resolve`).set("Authorization", admin.auth).send({ investigation, reply: "已查明原因并处理", ...(compensation ? { compensation } : {}) });
    expect(resolved.status, JSON.stringify(resolved.body)).toBe(200);
    if (!outcome.survey || !memberAuth) return;
    s.clock.advance(HOUR);
    await s.http.post(`/api/v1/complaints/${id}/survey`).set("Authorization", memberAuth).send(outcome.survey).expect(200);
  }

  beforeAll(async () => {
    s = await startTestApp(kind);
    s.clock.set("2026-10-01T02:00:00Z");
    manager = await s.loginStaff("manager", 1);
    admin = await s.loginStaff("admin", null);
    await s.http.patch("/api/v1/staff/stores/2").set("Authorization", admin.auth).send({ name: STORE_2_NAME }).expect(200);
    for (const fen of [2000, 5000, 10000]) templates.set(fen, await staffTemplate(s, admin, fen));
    const s1 = (storeAgent = await agentOnDuty(s, 1, "service"));
    const t1 = await agentOnDuty(s, 1, "technical");
    const s2 = await agentOnDuty(s, 2, "service");
    const t2 = await agentOnDuty(s, 2, "technical");
    const hotline = await s.loginStaff("agent", null);
    const a = (await s.loginMember("demo-member-1")).auth; // store 1
    const b = (await s.loginMember("demo-member-2")).auth; // store 2
    const c = (await s.loginMember("stats-c", 1)).auth;
    const d = (await s.loginMember("stats-d", 2)).auth;
    const member = (auth: string, over: Record<string, unknown> = {}) => async () =>
      (await s.http.post("/api/v1/complaints").set("Authorization", auth).send(complaintBody(over)).expect(201)).body;
    const staff = (who: Staff, body: Record<string, unknown>) => async () =>
      (await s.http.post("/api/v1/staff/complaints").set("Authorization", who.auth).send({ content: "来电反映问题", demand: "explanation", ...body }).expect(201)).body;

    // October, outside the month: makes A's first November complaint a repeat
    await seed("X0", "2026-10-28T02:00:00Z", member(a), s1);
    // 00:30 on 1 November in Shanghai: inside the month (and ISO week 44)
    await seed("C1", "2026-10-31T16:30:00Z", member(a, { category: "waiting_time" }), s1, { replyAfter: 2, resolvedAfter: 48, coupon: 5000, survey: { rating: 4, solved: true } }, a);
    // unhappy: the survey reopens it (resolvedAt cleared, a fresh due), its points stay granted
    await seed("C2", "2026-11-03T02:00:00Z", member(c, { category: "repair_quality" }), t1, { replyAfter: 30, resolvedAfter: 200, points: 300, survey: { rating: 2, solved: false } }, c);
    await seed("C3", "2026-11-04T06:00:00Z", staff(s1, { channel: "phone", category: "price", demand: "return_exchange", callerName: "周女士", callerPhone: "13700001111" }), s1, { replyAfter: 2.5, resolvedAfter: 60 });
    await seed("C4", "2026-11-05T02:00:00Z", member(b), s2, { replyAfter: 10 });
    await seed("C5", "2026-11-10T01:00:00Z", member(c, { content: "再不处理就找媒体" }), s1, { replyAfter: 3.25, resolvedAfter: 80, coupon: 10000, survey: { rating: 5, solved: true } }, c);
    await seed("C6", "2026-11-11T03:00:00Z", member(d, { category: "booking" }), s2);
    await seed("C7", "2026-11-12T02:00:00Z", staff(s2, { channel: "walk_in", category: "parts", memberPhone: "13900139002" }), s2, { replyAfter: 1, resolvedAfter: 24, points: 2000, survey: { rating: 3, solved: true } }, b);
    // about the viewing manager: never counted for them
    await seed("C8", "2026-11-13T02:00:00Z", member(a, { staffId: manager.id }), s1, { replyAfter: 1, resolvedAfter: 10, coupon: 2000, survey: { rating: 1, solved: false } }, a);
    await seed("C9", "2026-11-20T02:00:00Z", staff(hotline, { channel: "hotline", storeId: 1, category: "other", callerName: "钱先生", callerPhone: "13600002222" }), s1, { replyAfter: 20, resolvedAfter: 150 });
    await seed("C10", "2026-11-28T02:00:00Z", member(d, { category: "repair_quality" }), t2, { replyAfter: 12 });
    // 00:10 on 1 December in Shanghai: outside the month
    await seed("X1", "2026-11-30T16:10:00Z", member(d, { category: "price" }), s2);
    s.clock.set("2026-12-01T00:00:00Z");
  }, 120_000);
  afterAll(() => s?.close());

  it("counts every figure of the month for an admin, by Shanghai days, against hand-counted numbers", async () => {
    const r = await stats(admin.auth, { period: "month", date: "2026-11-17" });
    expect(r.period).toMatchObject({ kind: "month", key: "2026-11", label: "2026年11月", from: "2026-11-01", to: "2026-11-30", startsAt: "2026-10-31T16:00:00.000Z", endsAt: "2026-11-30T16:00:00.000Z" });
    expect(r.total).toBe(10);
    const counts = (list: { code: string; count: number }[]) => Object.fromEntries(list.map((x) => [x.code, x.count]));
    expect(counts(r.byCategory)).toEqual({ service_attitude: 3, repair_quality: 2, parts: 1, price: 1, waiting_time: 1, booking: 1, other: 1 });
    expect(r.byCategory[0]).toEqual({ code: "service_attitude", name: "服务态度", count: 3 });
    expect(r.byStore).toEqual([{ storeId: 1, name: "星途汽车4S店（浦东店）", count: 6 }, { storeId: 2, name: STORE_2_NAME, count: 4 }]);
    expect(r.bySeverity).toEqual([{ code: "normal", name: "一般", count: 4 }, { code: "major", name: "重大", count: 6 }]);
    expect(counts(r.byChannel)).toEqual({ miniprogram: 7, phone: 1, walk_in: 1, hotline: 1, bot: 0 });
    expect(r.byChannel.find((x: { code: string }) => x.code === "hotline").name).toBe("集团热线");
    // first responses 1,1,2,2.5,3.25,10,12,20,30 h; resolutions 24,48,60,80,150 h (C2 and C8 were reopened by their surveys)
    expect(r.responseTimes).toEqual({ firstResponded: 9, medianFirstResponseHours: 3.3, resolved: 5, medianResolutionHours: 60 });
    // late first responses C2 (30 > 24) and C10 (12 > 4, major); C6 never answered; C5 resolved late (80 > 72); C2, C4, C6, C8 overdue; C10 not yet due
    expect(r.sla.firstResponse).toEqual({ done: 9, onTime: 7, late: 2, overdue: 1, breaches: 3, complianceRate: 0.7778 });
    expect(r.sla.resolution).toEqual({ done: 5, onTime: 4, late: 1, overdue: 4, breaches: 5, complianceRate: 0.8 });
    expect(r.satisfaction).toEqual({
      surveyed: 5, average: 3, solvedAnswered: 5, solved: 3, solvedRate: 0.6,
      distribution: [{ rating: 1, count: 1 }, { rating: 2, count: 1 }, { rating: 3, count: 1 }, { rating: 4, count: 1 }, { rating: 5, count: 1 }],
    });
    expect(r.repeat).toEqual({ count: 5, rate: 0.5 });
    expect(r.compensation).toEqual({ count: 5, totalFen: 19300, coupon: { count: 3, totalFen: 17000 }, points: { count: 2, totalFen: 2300, points: 2300 } });
  });

  it("never counts the complaint about the viewing manager, nor another store's", async () => {
    const r = await stats(manager.auth, { period: "month", date: "2026-11-01" });
    expect(r.total).toBe(5);
    expect(r.byStore).toEqual([{ storeId: 1, name: "星途汽车4S店（浦东店）", count: 5 }]);
    expect(r.bySeverity.map((x: { count: number }) => x.count)).toEqual([2, 3]);
    // resolutions 48, 60, 80, 150 h: the mean of the middle two
    expect(r.responseTimes).toEqual({ firstResponded: 5, medianFirstResponseHours: 3.3, resolved: 4, medianResolutionHours: 70 });
    expect(r.sla.firstResponse).toEqual({ done: 5, onTime: 4, late: 1, overdue: 0, breaches: 1, complianceRate: 0.8 });
    expect(r.sla.resolution).toEqual({ done: 4, onTime: 3, late: 1, overdue: 1, breaches: 2, complianceRate: 0.75 });
    expect(r.satisfaction).toMatchObject({ surveyed: 3, average: 3.67, solved: 2, solvedRate: 0.6667 });
    expect(r.repeat).toEqual({ count: 2, rate: 0.4 });
    expect(r.compensation).toEqual({ count: 3, totalFen: 15300, coupon: { count: 2, totalFen: 15000 }, points: { count: 1, totalFen: 300, points: 300 } });
    // the store's agent is not accused in C8: they count it
    expect((await stats(storeAgent.auth, { period: "month", date: "2026-11-30" })).total).toBe(6);
    const other = await get(manager.auth, "/api/v1/staff/complaint-stats", { period: "month", date: "2026-11-01", storeId: 2 });
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe("STORE_SCOPE_FORBIDDEN");
    const advisor = await s.loginStaff("advisor", 1);
    expect((await get(advisor.auth, "/api/v1/staff/complaint-stats", { period: "month", date: "2026-11-01" })).status).toBe(403);
  });

  it("takes the ISO week (Monday first, Shanghai time) and one store when asked", async () => {
    const w44 = await stats(admin.auth, { period: "week", date: "2026-11-01" });
    expect(w44.period).toMatchObject({ key: "2026-W44", from: "2026-10-26", to: "2026-11-01", startsAt: "2026-10-25T16:00:00.000Z" });
    expect(w44.total).toBe(2); // X0 and C1
    const w46 = await stats(admin.auth, { period: "week", date: "2026-11-09" });
    expect(w46.period).toMatchObject({ key: "2026-W46", label: "2026年第46周（11月9日–11月15日）" });
    expect(w46.total).toBe(4); // C5, C6, C7, C8
    expect(w46.responseTimes).toEqual({ firstResponded: 3, medianFirstResponseHours: 1, resolved: 2, medianResolutionHours: 52 });
    // an even count: the mean of the middle two (30 and 2.5 h)
    const w45 = await stats(manager.auth, { period: "week", date: "2026-11-08" });
    expect(w45.total).toBe(2);
    expect(w45.responseTimes).toEqual({ firstResponded: 2, medianFirstResponseHours: 16.3, resolved: 1, medianResolutionHours: 60 });
    const store2 = await stats(admin.auth, { period: "month", date: "2026-11-05", storeId: 2 });
    expect(store2).toMatchObject({ storeId: 2, total: 4, repeat: { count: 2, rate: 0.5 } });
    expect(store2.sla.resolution).toMatchObject({ done: 1, overdue: 2 });
  });

  it("exports the month as CSV that Excel opens: BOM, Chinese headers, CRLF, quoted fields, no names or phones", async () => {
    const res = await get(admin.auth, "/api/v1/staff/complaint-stats/export.csv", { period: "month", date: "2026-11-17" }).buffer(true).parse(asBuffer);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="complaint-stats-2026-11.csv"; filename*=UTF-8''${encodeURIComponent("投诉统计-2026-11.csv")}`);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString("utf8").slice(1);
    expect(text.endsWith("\r\n")).toBe(true);
    expect(text.replaceAll("\r\n", "")).not.toContain("\n");
    for (const secret of ["周女士", "钱先生", "张先生", "13700001111", "13600002222", "13800138001", "沪A12345"]) expect(text).not.toContain(secret);
    expect(text).toContain('"星途汽车4S店（闵行店, ""旗舰""）"');
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(["编号", "受理时间", "门店", "渠道", "类别", "级别", "状态", "首次响应(小时)", "解决用时(小时)", "首响是否超时", "解决是否超时", "满意度", "是否解决", "补偿金额(元)"]);
    expect(rows).toHaveLength(11);
    const byNumber = async (name: string) => {
      const number = (await s.t.dataSource.query("SELECT number FROM complaint WHERE id = ?", [ids[name]]))[0].number;
      return rows.find((r) => r[0] === number);
    };
    expect(await byNumber("C7")).toEqual([expect.stringMatching(/^TS20261112-\d{4}$/), "2026-11-12 10:00", STORE_2_NAME, "到店", "配件质量", "重大", "已关闭", "1", "24", "否", "否", "3", "是", "20.00"]);
    expect((await byNumber("C1"))?.slice(1, 2)).toEqual(["2026-11-01 00:30"]);
    expect((await byNumber("C6"))?.slice(7)).toEqual(["", "", "是（尚未响应）", "是（尚未解决）", "", "", ""]);
    expect((await byNumber("C2"))?.slice(6)).toEqual(["重新处理中", "30", "", "是", "是（尚未解决）", "2", "否", "3.00"]);
  });

  it("exports the month as xlsx with a summary sheet and a detail sheet", async () => {
    const res = await get(manager.auth, "/api/v1/staff/complaint-stats/export.xlsx", { period: "month", date: "2026-11-17" }).buffer(true).parse(asBuffer);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    expect(res.headers["content-disposition"]).toContain(`filename*=UTF-8''${encodeURIComponent("投诉统计-2026-11.xlsx")}`);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.body);
    expect(book.worksheets.map((w) => w.name)).toEqual(["汇总", "明细"]);
    const summary = book.getWorksheet("汇总")!;
    const figure = (label: string) => (summary.getSheetValues().find((row) => Array.isArray(row) && row[1] === label) as ExcelJS.CellValue[] | undefined)?.[2];
    expect(figure("统计周期")).toBe("2026年11月");
    expect(figure("投诉总数")).toBe(5); // the manager's own view: C8 is about them
    expect(figure("首次响应用时中位数(小时)")).toBe(3.3);
    expect(figure("解决按时率")).toBe("75.0%");
    expect(figure("补偿总额(元)")).toBe(153);
    const detail = book.getWorksheet("明细")!;
    expect(detail.getRow(1).values).toEqual([undefined, "编号", "受理时间", "门店", "渠道", "类别", "级别", "状态", "首次响应(小时)", "解决用时(小时)", "首响是否超时", "解决是否超时", "满意度", "是否解决", "补偿金额(元)"]);
    expect(detail.rowCount).toBe(6);
    expect(detail.getCell("B2").value).toBe("2026-11-01 00:30");
    expect(detail.getCell("N2").value).toBe(50);
  });

  it("answers bad periods and dates with 400 in JSON, on the figures and on both exports", async () => {
    const queries: Record<string, string>[] = [{ period: "year", date: "2026-11-01" }, { period: "month", date: "2026-13-01" }, { period: "week", date: "2026-02-30" }, { period: "month" }, { period: "month", date: "2026-11-01", storeId: "0" }];
    for (const path of ["/api/v1/staff/complaint-stats", "/api/v1/staff/complaint-stats/export.csv", "/api/v1/staff/complaint-stats/export.xlsx"]) {
      for (const query of queries) {
        const res = await get(admin.auth, path, query);
        expect(res.status, `${path} ${JSON.stringify(query)}`).toBe(400);
        expect(res.headers["content-type"]).toMatch(/^application\/json/);
        expect(res.headers["content-disposition"]).toBeUndefined();
        expect(res.body.error).toMatchObject({ code: "VALIDATION_FAILED", message: expect.stringMatching(/^请求参数不合法/) });
      }
    }
  });
});
