import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { lockMember, creditPoints, expireDueLots } from "../../../server/points/points.service.js";
import { Member } from "../../../server/members/members.entity.js";
import { STAFF_PASSWORD, startTestApp, TestClock, type TestApp } from "../../helpers/app.js";
import { at, giveCars } from "../../helpers/booking.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

/** Reads a response body as bytes, whatever its type. */
const asBuffer = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  stream.on("end", () => done(null, Buffer.concat(chunks)));
};

/** CSV without quoted fields (the reports' cells hold none) split into rows and cells. */
const csvRows = (text: string) => text.replace(/\r\n$/, "").split("\r\n").map((line) => line.split(","));

describe.each(DATABASE_KINDS)("operations reports on %s", (kind) => {
  let s: TestApp;
  let admin: string;
  let manager1: string;
  const members: Record<string, { id: number; auth: string }> = {};
  const tiersBefore = new Map<string, number>();
  const accounts: Record<string, string> = {};

  /** Moves the app's clock and the process's Date together: the ledger stamps rows with new Date(). */
  const moveTo = async (iso: string) => {
    s.clock.set(iso);
    vi.setSystemTime(new Date(iso));
    // tokens issued weeks earlier have expired by now: log everyone in again
    const login = async (username: string) => `Bearer ${(await s.http.post("/api/v1/staff/login").send({ username, password: STAFF_PASSWORD }).expect(200)).body.token}`;
    if (accounts.admin) [admin, manager1] = [await login(accounts.admin), await login(accounts.manager1)];
    for (const [name, m] of Object.entries(members)) m.auth = (await s.loginMember(`report-${name}-${kind}`)).auth;
  };
  const get = (auth: string, path: string, query: Record<string, string | number> = {}) => s.http.get(`/api/v1/staff/reports${path}`).query(query).set("Authorization", auth);
  const ok = async (auth: string, path: string, query: Record<string, string | number> = {}) => {
    const res = await get(auth, path, query);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  const staff = (auth: string, path: string, body: object = {}) => s.http.post(`/api/v1/staff${path}`).set("Authorization", auth).send(body);

  beforeAll(async () => {
    vi.setSystemTime(new Date("2026-10-05T02:00:00Z"));
    s = await startTestApp(kind, { POINTS_EXPIRY_MONTHS: "1" }, new TestClock(new Date("2026-10-05T02:00:00Z")));
    await moveTo("2026-10-05T02:00:00Z");
    const a = await s.loginStaff("admin", null);
    const m1 = await s.loginStaff("manager", 1);
    [admin, manager1, accounts.admin, accounts.manager1] = [a.auth, m1.auth, a.username, m1.username];
    for (const t of (await ok(admin, "/tiers")).tiers) tiersBefore.set(t.code, t.count);
    for (const [name, store] of [["m1", 1], ["m2", 1], ["m3", 2]] as const) {
      const { auth, member } = await s.loginMember(`report-${name}-${kind}`, store);
      members[name] = { id: member.id, auth };
    }
    const [car1, car2, car3] = await giveCars(s, [members.m1.id, members.m2.id, members.m3.id]);
    // October: a store event's 100 points for m1 (they lapse on 11-05 with the 1-month expiry)
    await staff(admin, "/points/actions", { memberId: members.m1.id, rule: "store_event", reference: "oct-event" }).expect(200);

    await moveTo(at("2026-10-29", "10:00"));
    const book = async (who: string, assetId: number, storeId: number, serviceIds: number[], date: string, time: string) => {
      const res = await s.http.post("/api/v1/bookings").set("Authorization", members[who].auth).set("Idempotency-Key", `${who}-${date}-${time}-${kind}`).send({ storeId, serviceIds, assetId, start: at(date, time) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return res.body.id as number;
    };
    const b1 = await book("m1", car1, 1, [1], "2026-10-31", "09:00");
    const b2 = await book("m1", car1, 1, [1], "2026-11-03", "09:00");
    const b3 = await book("m2", car2, 1, [2], "2026-11-03", "10:00");
    const b4 = await book("m2", car2, 1, [1], "2026-11-04", "09:00");
    const b5 = await book("m1", car1, 1, [2], "2026-11-04", "14:00");
    await book("m2", car2, 1, [1], "2026-11-05", "09:00");
    const b7 = await book("m3", car3, 2, [1], "2026-11-04", "09:00");
    await book("m3", car3, 2, [1], "2026-11-05", "10:00");
    await s.http.post(`/api/v1/me/bookings/${b5}/cancel`).set("Authorization", members.m1.auth).expect(200);
    // store 2 closes on 11-05 and cancels its booking that day
    await s.http.post("/api/v1/staff/stores/2/closures").set("Authorization", admin).send({ date: "2026-11-05", reason: "设备检修", cancelAffected: true, cancelReason: "门店设备检修" }).expect(201);

    await moveTo(at("2026-10-31", "12:00"));
    await staff(admin, `/bookings/${b1}/no-show`).expect(200);

    await moveTo(at("2026-11-02", "12:00"));
    await s.loginMember(`report-m4-${kind}`, 1); // joins in November

    await moveTo(at("2026-11-03", "09:05"));
    await staff(admin, `/bookings/${b2}/check-in`, { mileage: 20000 }).expect(200);
    await staff(admin, `/bookings/${b2}/assign`).expect(200);
    await staff(admin, `/bookings/${b2}/start`).expect(200);
    const done = await staff(admin, `/bookings/${b2}/complete`, { items: [{ name: "机油机滤", kind: "part", amountFen: 50_000 }], mileage: 20010 });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    await staff(admin, `/bookings/${b3}/check-in`, { mileage: 20000 }).expect(200);
    await staff(admin, "/points/actions", { memberId: members.m2.id, rule: "store_event", reference: "nov-event" }).expect(200);
    await staff(admin, "/points/adjustments", { memberId: members.m2.id, delta: 200, reason: "老客户回馈" }).expect(200);

    await moveTo(at("2026-11-04", "12:00"));
    await staff(admin, `/bookings/${b4}/no-show`).expect(200);
    await staff(admin, `/bookings/${b7}/no-show`).expect(200);
    const template = await s.http.post("/api/v1/staff/coupon-templates").set("Authorization", admin).send({ name: "150积分券", kind: "cash", valueFen: 500, validDays: 30, totalStock: 10, channel: "exchange", pointsCost: 150 });
    expect(template.status, JSON.stringify(template.body)).toBe(201);
    await s.http.post(`/api/v1/coupons/templates/${template.body.id}/exchange`).set("Authorization", members.m2.auth).expect(201);
    await staff(admin, "/points/adjustments", { memberId: members.m2.id, delta: -30, reason: "误加扣回" }).expect(200);

    await moveTo(at("2026-11-05", "11:00"));
    await staff(admin, "/consumptions", { memberId: members.m3.id, amountFen: 80_000, category: "maintenance", orderNo: `R-${kind}`, storeId: 2 }).expect(200);
    await staff(admin, `/consumptions/R-${kind}/void`, { reason: "录错单" }).expect(200);
    // a complaint's points compensation, as the resolution service writes it
    await s.t.db.tx(async (m) => {
      await lockMember(m, members.m3.id);
      await creditPoints(m, { memberId: members.m3.id, points: 60, reason: "adjust", reasonText: "投诉补偿", idempotencyKey: `complaint:report-${kind}`, refType: "complaint", refId: "1" }, 1);
    });

    await moveTo(at("2026-11-06", "01:00"));
    await s.t.db.tx(async (m) => {
      await lockMember(m, members.m1.id);
      expect(await expireDueLots(m, members.m1.id, new Date())).toBe(100);
    });
    await s.t.db.tx((m) => m.update(Member, { id: members.m1.id }, { tierCode: "silver" }));
    await moveTo(at("2026-11-20", "10:00"));
  }, 120_000);
  afterAll(async () => {
    vi.useRealTimers();
    await s?.close();
  });

  it("counts November's bookings per appointment day and status, the no-show rate over the bookings that were due, and per service", async () => {
    const r = await ok(admin, "/bookings", { period: "month", date: "2026-11-17" });
    expect(r.period).toMatchObject({ key: "2026-11", from: "2026-11-01", to: "2026-11-30" });
    expect(r.days).toHaveLength(30);
    expect(r).toMatchObject({ total: 7, due: 4, noShows: 2, noShowRate: 0.5, storeId: null });
    expect(r.counts).toEqual({ booked: 1, checked_in: 1, in_service: 0, ready_for_pickup: 0, completed: 1, no_show: 2, cancelled_member: 1, cancelled_store: 1 });
    const day = (date: string) => r.days.find((d: { date: string }) => d.date === date);
    expect(day("2026-11-03")).toMatchObject({ label: "11月3日", total: 2, due: 2, noShowRate: 0, counts: { completed: 1, checked_in: 1 } });
    expect(day("2026-11-04")).toMatchObject({ total: 3, due: 2, noShows: 2, noShowRate: 1, counts: { no_show: 2, cancelled_member: 1 } });
    expect(day("2026-11-05")).toMatchObject({ total: 2, due: 0, noShowRate: null, counts: { booked: 1, cancelled_store: 1 } });
    expect(day("2026-11-01")).toMatchObject({ total: 0, noShowRate: null });
    expect(r.byService).toEqual([{ serviceId: 1, name: "保养", count: 5 }, { serviceId: 2, name: "维修", count: 2 }]);
    // October keeps its own no-show
    expect(await ok(admin, "/bookings", { period: "month", date: "2026-10-01" })).toMatchObject({ total: 1, noShows: 1, noShowRate: 1 });
    // the ISO week of 11-04 (Mon 11-02 … Sun 11-08) has all of November's
    expect(await ok(admin, "/bookings", { period: "week", date: "2026-11-04" })).toMatchObject({ total: 7, period: { key: "2026-W45", from: "2026-11-02" } });
  });

  it("scopes a store-bound manager to their store and lets an admin pick one", async () => {
    const own = await ok(manager1, "/bookings", { period: "month", date: "2026-11-01" });
    expect(own).toMatchObject({ storeId: 1, total: 5, due: 3, noShows: 1, noShowRate: 0.3333 });
    expect(await ok(admin, "/bookings", { period: "month", date: "2026-11-01", storeId: 2 })).toMatchObject({ storeId: 2, total: 2, noShows: 1, counts: { cancelled_store: 1 } });
    for (const path of ["/bookings", "/points", "/tiers"]) {
      const res = await get(manager1, path, { period: "month", date: "2026-11-01", storeId: 2 });
      expect([res.status, res.body.error.code], path).toEqual([403, "STORE_SCOPE_FORBIDDEN"]);
      expect(res.body.error.message).toBe("无权操作其他门店的数据");
    }
    expect(await ok(manager1, "/points", { period: "month", date: "2026-11-01" })).toMatchObject({ storeId: 1, issued: 800, spent: 150, expired: 100, takenBack: 30, net: 520 });
  });

  it("sums November's points by source and day, as positive points, from the ledger", async () => {
    const r = await ok(admin, "/points", { period: "month", date: "2026-11-30" });
    expect(r).toMatchObject({ issued: 1660, spent: 150, expired: 100, takenBack: 830, net: 580 });
    const source = Object.fromEntries(r.bySource.map((x: { code: string; points: number; entries: number }) => [x.code, [x.points, x.entries]]));
    expect(source).toEqual({ consumption: [1300, 2], action: [100, 1], compensation: [60, 1], coupon_refund: [0, 0], adjust_add: [200, 1], exchange: [150, 1], expire: [100, 1], consumption_void: [800, 1], adjust_deduct: [30, 1] });
    const day = (date: string) => r.days.find((d: { date: string }) => d.date === date);
    expect(day("2026-11-03")).toMatchObject({ issued: 800, spent: 0, net: 800, bySource: { consumption: 500, action: 100, adjust_add: 200 } });
    expect(day("2026-11-04")).toMatchObject({ issued: 0, spent: 150, takenBack: 30, net: -180 });
    expect(day("2026-11-05")).toMatchObject({ issued: 860, takenBack: 800, bySource: { compensation: 60, consumption_void: 800 } });
    expect(day("2026-11-06")).toMatchObject({ expired: 100 });
    expect(await ok(admin, "/points", { period: "month", date: "2026-10-10" })).toMatchObject({ issued: 100, bySource: expect.arrayContaining([expect.objectContaining({ code: "action", points: 100 })]) });
  });

  it("counts members by tier now, with their share and November's new members", async () => {
    const r = await ok(admin, "/tiers", { period: "month", date: "2026-11-01" });
    const count = Object.fromEntries(r.tiers.map((t: { code: string; count: number }) => [t.code, t.count]));
    expect(r.tiers.map((t: { name: string }) => t.name)).toEqual(["普卡", "银卡", "金卡", "钻石卡"]);
    expect(count.normal - (tiersBefore.get("normal") ?? 0)).toBe(3);
    expect(count.silver - (tiersBefore.get("silver") ?? 0)).toBe(1);
    expect(r.newMembers).toBe(1);
    expect(r.tiers.reduce((sum: number, t: { share: number }) => sum + t.share, 0)).toBeCloseTo(1, 3);
    const own = await ok(manager1, "/tiers");
    expect(own).toMatchObject({ storeId: 1, period: null, newMembers: null });
    expect(own.total).toBe(await s.t.dataSource.manager.countBy(Member, { storeId: 1 }));
  });

  it("refuses bad periods and dates with a Chinese message, and agents and advisors", async () => {
    const bad: Record<string, string | number>[] = [{ period: "year", date: "2026-11-01" }, { period: "month", date: "2026-13-01" }, { period: "month" }, { period: "month", date: "2026-11-01", storeId: 0 }];
    for (const query of bad) {
      const res = await get(admin, "/bookings", query);
      expect([res.status, res.body.error.code], JSON.stringify(query)).toEqual([400, "VALIDATION_FAILED"]);
    }
    const half = await get(admin, "/tiers", { period: "month" });
    expect([half.status, half.body.error.code, half.body.error.message]).toEqual([400, "VALIDATION_FAILED", "统计周期和日期需要同时提供"]);
    for (const role of ["agent", "advisor"] as const) {
      const { auth } = await s.loginStaff(role, 1);
      for (const path of ["/bookings", "/points/export.csv", "/tiers/export.xlsx"]) {
        const res = await get(auth, path, { period: "month", date: "2026-11-01" });
        expect([res.status, res.body.error.code], `${role} ${path}`).toEqual([403, "FORBIDDEN"]);
      }
    }
    expect((await s.http.get("/api/v1/staff/reports/bookings").query({ period: "month", date: "2026-11-01" })).status).toBe(401);
  });

  it("exports the bookings as CSV (BOM, CRLF, Chinese headers, one row a day and the totals) and the points as a workbook", async () => {
    const res = await get(admin, "/bookings/export.csv", { period: "month", date: "2026-11-01" }).buffer(true).parse(asBuffer);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="bookings-2026-11.csv"; filename*=UTF-8''${encodeURIComponent("预约报表-2026-11.csv")}`);
    const body = res.body as Buffer;
    expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = body.toString("utf8").slice(1);
    expect(text.endsWith("\r\n")).toBe(true);
    const rows = csvRows(text);
    expect(rows[0]).toEqual(["日期", "待到店", "已到店", "施工中", "待取车", "已完成", "未到店", "会员取消", "门店取消", "合计", "应到店", "爽约率"]);
    expect(rows).toHaveLength(32);
    expect(rows.find((r) => r[0] === "2026-11-04")).toEqual(["2026-11-04", "0", "0", "0", "0", "0", "2", "1", "0", "3", "2", "100.0%"]);
    expect(rows.at(-1)).toEqual(["合计", "1", "1", "0", "0", "1", "2", "1", "1", "7", "4", "50.0%"]);

    const xlsx = await get(admin, "/points/export.xlsx", { period: "month", date: "2026-11-01", storeId: 1 }).buffer(true).parse(asBuffer);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers["content-disposition"]).toContain("points-2026-11.xlsx");
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(xlsx.body);
    expect(book.worksheets.map((w) => w.name)).toEqual(["每日积分", "按来源", "说明"]);
    const daily = book.getWorksheet("每日积分")!;
    expect(daily.getRow(1).values).toEqual(expect.arrayContaining(["日期", "发放积分", "消耗积分", "过期积分", "扣回积分", "净增", "消费积分"]));
    const total = daily.getRow(daily.rowCount).values as unknown[];
    expect(total.slice(1, 7)).toEqual(["合计", 800, 150, 100, 30, 520]);
    const bySource = book.getWorksheet("按来源")!;
    expect(bySource.getRow(2).values).toEqual([undefined, "消费积分", "发放", 500, 1]);

    const tiers = await get(admin, "/tiers/export.csv", { period: "month", date: "2026-11-01" }).buffer(true).parse(asBuffer);
    expect(csvRows((tiers.body as Buffer).toString("utf8").slice(1))[0]).toEqual(["等级", "会员数", "占比", "2026年11月新增"]);
  });
});
