import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../server/app.js";
import { loadConfig, type Config } from "../../../server/config.js";
import { DEMO_PASSWORD, DEMO_STAFF } from "../../../server/db/demo/people.js";
import { seed } from "../../../server/db/seed.js";
import { ADMIN_PASSWORD, startTestApp } from "../../helpers/app.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "../../helpers/databases.js";

// a Wednesday, 11:30 in Shanghai: both stores open, the morning's visits under way
const NOW = new Date("2026-11-25T03:30:00Z");
const TODAY = "2026-11-25";
const SLOT_MS = 30 * 60_000;

const num = (v: unknown) => Number(v);

describe.each(DATABASE_KINDS)("demo history on %s", (kind) => {
  let t: TestDatabase;
  let config: Config;
  let http: ReturnType<typeof request>;
  let result: Awaited<ReturnType<typeof seed>>;
  const q = async (sql: string, params: unknown[] = []) => (await t.dataSource.query(sql, params)) as Record<string, unknown>[];
  const count = async (table: string) => num((await q(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  beforeAll(async () => {
    t = await openTestDatabase(kind);
    config = loadConfig({ NODE_ENV: "test", DATABASE_URL: t.url, ADMIN_PASSWORD, BCRYPT_ROUNDS: "4", LOG_LEVEL: "silent", SEED_DEMO_HISTORY: "true" });
    result = await seed(t.db, config, NOW);
    http = request(createApp({ config, db: t.db, clock: () => new Date(NOW) }).callback());
  }, 180_000);
  afterAll(() => t?.close());

  it("seeds 20–40 members and eight weeks of bookings through the services", async () => {
    expect(result.seeded).toBe(true);
    const members = await count("member");
    expect(members).toBeGreaterThanOrEqual(20);
    expect(members).toBeLessThanOrEqual(40);
    const [{ first }] = await q("SELECT MIN(start) AS first FROM booking");
    expect(new Date(String(first) + (kind === "sqlite" ? "Z" : "")).getTime()).toBeLessThan(NOW.getTime() - 50 * 86_400_000);
    const statuses = (await q("SELECT DISTINCT status FROM booking")).map((r) => r.status);
    expect(statuses).toEqual(expect.arrayContaining(["booked", "completed", "cancelled", "no_show"]));
    // every completed visit has its service record, and its points came through a consumption
    const [{ unrecorded }] = await q("SELECT COUNT(*) AS unrecorded FROM booking b WHERE b.status = 'completed' AND NOT EXISTS (SELECT 1 FROM service_record r WHERE r.bookingId = b.id)");
    expect(num(unrecorded)).toBe(0);
    const [{ credited }] = await q("SELECT COUNT(*) AS credited FROM service_record r JOIN consumption c ON c.orderNo = (SELECT bookingNo FROM booking WHERE id = r.bookingId) WHERE r.pointsEarned = c.pointsEarned AND r.pointsEarned > 0");
    expect(num(credited)).toBe(await count("service_record"));
  });

  it("keeps every member's points balance equal to their ledger and their lots, with the ledger dated in the history", async () => {
    const rows = await q(
      `SELECT m.id, m.pointsBalance AS balance,
              (SELECT COALESCE(SUM(l.delta), 0) FROM points_ledger l WHERE l.memberId = m.id) AS ledger,
              (SELECT COALESCE(SUM(o.remaining), 0) FROM points_lot o WHERE o.memberId = m.id) AS lots
         FROM member m`,
    );
    for (const r of rows) {
      expect(num(r.ledger), `member ${r.id}`).toBe(num(r.balance));
      expect(num(r.lots), `member ${r.id}`).toBe(num(r.balance));
    }
    expect(rows.filter((r) => num(r.balance) > 0).length).toBeGreaterThanOrEqual(15);
    expect((await q("SELECT DISTINCT reason FROM points_ledger")).map((r) => r.reason)).toEqual(expect.arrayContaining(["consumption", "action", "exchange", "adjust"]));
    const [{ earliest, latest }] = await q("SELECT MIN(createdAt) AS earliest, MAX(createdAt) AS latest FROM points_ledger");
    const at = (v: unknown) => (v instanceof Date ? v : new Date(String(v).replace(" ", "T") + "Z")).getTime();
    expect(at(latest)).toBeLessThanOrEqual(NOW.getTime());
    expect(at(earliest)).toBeLessThan(NOW.getTime() - 30 * 86_400_000);
  });

  it("moves members up the tiers their earned points reach, and no further", async () => {
    const tiers = (await q("SELECT code, threshold FROM tier ORDER BY sortOrder")).map((r) => ({ code: String(r.code), threshold: num(r.threshold) }));
    const rows = await q("SELECT m.id, m.tierCode, (SELECT COALESCE(SUM(l.delta), 0) FROM points_ledger l WHERE l.memberId = m.id AND l.reason IN ('consumption', 'consumption_void', 'action')) AS earned FROM member m");
    for (const r of rows) expect(r.tierCode, `member ${r.id}`).toBe(tiers.filter((tier) => tier.threshold <= num(r.earned)).at(-1)!.code);
    const codes = new Set(rows.map((r) => r.tierCode));
    expect(codes.has("silver") && codes.has("gold")).toBe(true);
    expect(await count("tier_history")).toBeGreaterThan(0);
  });

  it("never books a slot over its bays, and the usage counters match the bookings holding them", async () => {
    const bays = await q("SELECT storeId, kind, COUNT(*) AS n FROM service_bay WHERE active = ? GROUP BY storeId, kind", [true]);
    const bookings = await q("SELECT storeId, bayKind, start, end FROM booking WHERE status <> 'cancelled'");
    const held = new Map<string, number>();
    const time = (v: unknown) => (v instanceof Date ? v : new Date(String(v).replace(" ", "T") + "Z")).getTime();
    for (const b of bookings) for (let s = time(b.start); s < time(b.end); s += SLOT_MS) held.set(`${b.storeId}:${b.bayKind}:${s}`, (held.get(`${b.storeId}:${b.bayKind}:${s}`) ?? 0) + 1);
    for (const [key, n] of held) {
      const [storeId, kind] = key.split(":");
      expect(n, key).toBeLessThanOrEqual(num(bays.find((b) => String(b.storeId) === storeId && b.kind === kind)!.n));
    }
    const usage = await q("SELECT storeId, bayKind, slotStart, booked FROM slot_usage WHERE booked > 0");
    expect(new Map(usage.map((u) => [`${u.storeId}:${u.bayKind}:${time(u.slotStart)}`, num(u.booked)]))).toEqual(held);
  });

  it("adds up every coupon template's stock: issued equals the coupons, never above the stock; some claimed, bought and redeemed", async () => {
    const rows = await q("SELECT t.id, t.totalStock, t.issuedCount, (SELECT COUNT(*) FROM coupon c WHERE c.templateId = t.id) AS coupons FROM coupon_template t");
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const r of rows) {
      expect(num(r.coupons), `template ${r.id}`).toBe(num(r.issuedCount));
      expect(num(r.issuedCount)).toBeLessThanOrEqual(num(r.totalStock));
    }
    const vias = (await q("SELECT DISTINCT issuedVia FROM coupon")).map((r) => r.issuedVia);
    expect(vias).toEqual(expect.arrayContaining(["claim", "exchange", "staff"]));
    expect(num((await q("SELECT COUNT(*) AS n FROM coupon WHERE status = 'used' AND usedOrderNo IS NOT NULL"))[0].n)).toBeGreaterThan(0);
  });

  it("gives complaints unique numbers and every state: queue, assigned, waiting, resolved, closed, a major with its report, a breach, an approval", async () => {
    const rows = await q("SELECT number, status, severity, escalatedAt, slaFlags, approvalStatus, satisfactionRating FROM complaint");
    expect(new Set(rows.map((r) => r.number)).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set(["received", "assigned", "responded", "waiting", "resolved", "closed"]));
    expect(rows.some((r) => r.severity === "major" && r.escalatedAt !== null)).toBe(true);
    expect(rows.some((r) => String(r.slaFlags).includes("first_breach"))).toBe(true);
    expect(rows.some((r) => r.approvalStatus === "pending")).toBe(true);
    expect(rows.some((r) => r.status === "closed" && r.satisfactionRating !== null)).toBe(true);
    expect(await count("call_task")).toBeGreaterThan(0);
    expect(num((await q("SELECT COUNT(*) AS n FROM outbox_message WHERE status = 'sent'"))[0].n)).toBeGreaterThan(0);
  });

  it("lets every demo staff member sign in with the one documented password, printed at start", async () => {
    expect(result.demoAccounts).toContain(DEMO_PASSWORD);
    for (const s of DEMO_STAFF) {
      expect(result.demoAccounts).toContain(s.username);
      const res = await http.post("/api/v1/staff/login").send({ username: s.username, password: DEMO_PASSWORD });
      expect(res.status, s.username).toBe(200);
      expect(res.body.staff).toMatchObject({ role: s.role, storeId: s.storeId });
    }
  });

  it("fills the demo manager's dashboard: today's board, open complaints, call tasks and the inbox", async () => {
    const login = await http.post("/api/v1/staff/login").send({ username: "manager1", password: DEMO_PASSWORD }).expect(200);
    const auth = `Bearer ${login.body.token}`;
    const board = await http.get(`/api/v1/staff/bookings?date=${TODAY}&storeId=1`).set("authorization", auth).expect(200);
    const today = Array.isArray(board.body) ? board.body : board.body.items;
    expect(today.length).toBeGreaterThanOrEqual(3);
    expect(new Set(today.map((b: { status: string }) => b.status)).size).toBeGreaterThanOrEqual(2);
    const tomorrow = await http.get("/api/v1/staff/bookings?date=2026-11-26&storeId=1").set("authorization", auth).expect(200);
    expect((Array.isArray(tomorrow.body) ? tomorrow.body : tomorrow.body.items).length).toBeGreaterThan(0);
    const open = await http.get("/api/v1/staff/complaints?status=received").set("authorization", auth).expect(200);
    expect(open.body.total).toBeGreaterThan(0);
    const breached = await http.get("/api/v1/staff/complaints?slaState=breached").set("authorization", auth).expect(200);
    expect(breached.body.total).toBeGreaterThan(0);
    const calls = await http.get("/api/v1/staff/call-tasks?status=open").set("authorization", auth).expect(200);
    expect(calls.body.total).toBeGreaterThan(0);
    const inbox = await http.get("/api/v1/staff/inbox").set("authorization", auth).expect(200);
    expect(inbox.body.unread).toBeGreaterThan(0);
  });

  it("does not seed again on a second start", async () => {
    const before = await Promise.all(["booking", "member", "staff_account", "complaint", "points_ledger"].map(count));
    const again = await seed(t.db, config, NOW);
    expect(again).toMatchObject({ seeded: false, demoAccounts: null });
    expect(await Promise.all(["booking", "member", "staff_account", "complaint", "points_ledger"].map(count))).toEqual(before);
  });
});

describe("the test app", () => {
  it("gets the demo stores and members but never their history unless a test asks", async () => {
    const s = await startTestApp("sqlite");
    try {
      const n = async (table: string) => Number((await s.t.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);
      expect(await n("member")).toBe(3);
      expect(await n("booking")).toBe(0);
      expect(await n("staff_account")).toBe(1);
    } finally {
      await s.close();
    }
  });
});
