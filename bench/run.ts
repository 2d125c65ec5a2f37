// npm run bench [-- me|exchange|claim|reminders] — measures the API and a bare Koa + mysql2 baseline in the same
// run on MariaDB (BENCH_MYSQL_URL, default mariadb://root@127.0.0.1:3306), prints both, their ratio
// and the SQL statements each sends per request.
import { fork, type ChildProcess } from "node:child_process";
import autocannon from "autocannon";
import { createConnection } from "mysql2/promise";
import { loadConfig } from "../server/config.js";
import { CouponTemplate } from "../server/coupons/coupons.entity.js";
import { createDataSource } from "../server/db/data-source.js";
import { Database } from "../server/db/database.js";
import { migrate } from "../server/db/migrate.js";
import { seed } from "../server/db/seed.js";
import { signToken } from "../server/http/tokens.js";
import { Member } from "../server/members/members.entity.js";
import { benchReminders } from "./reminders.js";

const server = new URL(process.env.BENCH_MYSQL_URL ?? "mariadb://root@127.0.0.1:3306");
const DB = "bench_aftersales";
const which = process.argv[2] ?? "all";
const CLAIMERS = 1000;
const CLAIM_STOCK = 100;
const env = { DATABASE_URL: `${server.protocol}//${server.username}${server.password ? ":" + server.password : ""}@${server.host}/${DB}`, JWT_SECRET: "bench-secret-0123456789-0123456789-abcdef", LOG_LEVEL: "silent", NODE_ENV: "development", BCRYPT_ROUNDS: "4", ADMIN_PASSWORD: "bench-admin-1", JOBS_ENABLED: "false", SEED_DEMO_HISTORY: "false" };

async function prepare() {
  const admin = await createConnection({ host: server.hostname, port: Number(server.port || 3306), user: server.username, password: server.password });
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.query(`CREATE DATABASE ${DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const config = loadConfig(env);
  const dataSource = createDataSource(config.databaseUrl);
  await dataSource.initialize();
  const db = new Database(dataSource);
  await migrate(dataSource, async () => void (await seed(db, config)));
  const member = await db.read((m) => m.findOneByOrFail(Member, { openid: "demo-member-1" }));
  await db.tx((m) => m.update(Member, { id: member.id }, { pointsBalance: 100_000_000 }));
  await db.tx((m) => m.query("INSERT INTO points_lot (memberId, ledgerId, points, remaining, expiresAt, createdAt) VALUES (?, 0, 100000000, 100000000, ?, ?)", [member.id, new Date(Date.now() + 365 * 86_400_000), new Date()]));
  await db.tx((m) => m.query("INSERT INTO points_ledger (memberId, delta, balanceAfter, reason, reasonText, idempotencyKey, shortfall, createdAt) VALUES (?, 100000000, 100000000, 'adjust', 'bench', 'bench-seed', 0, ?)", [member.id, new Date()]));
  const template = (fields: Partial<CouponTemplate>) =>
    db.tx((m) => m.save(m.create(CouponTemplate, { name: "bench", kind: "cash", valueFen: 100, percentOff: null, maxDiscountFen: null, thresholdFen: 0, serviceName: null, validFrom: null, validTo: null, validDays: 30, totalStock: 10_000_000, issuedCount: 0, perMemberLimit: null, tierCodes: null, channel: "exchange", pointsCost: 10, storeId: null, status: "active", jobCode: null, createdBy: null, createdAt: new Date(), ...fields })));
  const exchangeTemplate = await template({});
  // one claim template per side, stock 100, one per member
  const claimTemplates = [await template({ channel: "claim", pointsCost: null, totalStock: CLAIM_STOCK, perMemberLimit: 1 }), await template({ channel: "claim", pointsCost: null, totalStock: CLAIM_STOCK, perMemberLimit: 1 })];
  const now = new Date();
  const claimers = Array.from({ length: CLAIMERS }, (_, i) => ({ openid: `bench-claim-${i}`, unionid: null, memberCode: `BC${String(i).padStart(8, "0")}`, nickname: `会员${i}`, phone: null, birthday: null, gender: "unknown" as const, storeId: 1, assetCount: 0, pointsBalance: 0, tierCode: "normal", createdAt: now, updatedAt: now }));
  for (let i = 0; i < claimers.length; i += 200) await db.tx((m) => m.insert(Member, claimers.slice(i, i + 200)));
  const claimerIds = (await db.read((m) => m.query("SELECT id FROM member WHERE openid LIKE 'bench-claim-%' ORDER BY id"))) as { id: number }[];
  const claimTokens = await Promise.all(claimerIds.map(async ({ id }) => (await signToken(config, { typ: "member", sub: id })).token));
  const { token } = await signToken(config, { typ: "member", sub: member.id });
  await dataSource.destroy();
  return { token, exchangeTemplateId: exchangeTemplate.id, claimTemplateIds: claimTemplates.map((t) => t.id), claimTokens };
}

interface Side {
  child: ChildProcess;
  url: string;
}

/** BENCH_CPU_PROF=DIR writes a CPU profile of the API process into DIR (open it in Chrome DevTools). */
const profileDir = process.env.BENCH_CPU_PROF;

function start(script: string, profile = false): Promise<Side> {
  const execArgv = ["--import", "tsx", ...(profile && profileDir ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : [])];
  const child = fork(script, { execArgv, env: { ...process.env, ...env }, stdio: "inherit" });
  return new Promise((resolve) => child.once("message", (msg: { port: number }) => resolve({ child, url: `http://127.0.0.1:${msg.port}` })));
}

interface Counters {
  statements: number;
  /** requests the server received */
  served: number;
  /** CPU time of the server process, ms */
  cpuMs: number;
}

/** SQL statements the side has sent so far and the CPU time its process used. */
function countersOf(side: Side): Promise<Counters> {
  return new Promise((resolve) => {
    side.child.once("message", (msg: { statements: number; served: number; cpu: NodeJS.CpuUsage }) => resolve({ statements: msg.statements, served: msg.served, cpuMs: (msg.cpu.user + msg.cpu.system) / 1000 }));
    side.child.send("statements");
  });
}

/** SQL statements and server CPU per request the server received between two readings. */
function perRequest(before: Counters, after: Counters) {
  const n = Math.max(1, after.served - before.served);
  return `SQL/request ${((after.statements - before.statements) / n).toFixed(1)}   CPU/request ${((after.cpuMs - before.cpuMs) / n).toFixed(2)} ms`;
}

const WINDOWS = 5;
const WINDOW_S = 2;

interface Tally {
  requests: number;
  seconds: number;
  errors: number;
  p50s: number[];
  p99s: number[];
  before?: Counters;
}

/** One load window on one side, added to its tally. */
async function measureWindow(tally: Tally, side: Side, path: string, options: Partial<autocannon.Options>) {
  tally.before ??= await countersOf(side);
  const result = await autocannon({ url: side.url + path, connections: 20, duration: WINDOW_S, ...options });
  tally.requests += result.requests.total;
  tally.seconds += result.duration;
  tally.errors += result.non2xx + result.errors;
  tally.p50s.push(result.latency.p50);
  tally.p99s.push(result.latency.p99);
}

async function report(title: string, tally: Tally, side: Side) {
  const rate = tally.requests / tally.seconds;
  const p50 = [...tally.p50s].sort((a, b) => a - b)[Math.floor(tally.p50s.length / 2)];
  const counts = perRequest(tally.before!, await countersOf(side));
  console.log(`${title.padEnd(34)} ${rate.toFixed(0).padStart(7)} req/s   p50 ${p50} ms   p99 ${Math.max(...tally.p99s)} ms   errors ${tally.errors}   ${counts}`);
  return rate;
}

/**
 * Both sides under the same load in alternating windows (API, baseline, API, …): load from other
 * processes on the machine then falls on both alike instead of on whichever side ran at that moment.
 */
async function measurePair(path: string, options: Partial<autocannon.Options>) {
  const ours: Tally = { requests: 0, seconds: 0, errors: 0, p50s: [], p99s: [] };
  const floor: Tally = { requests: 0, seconds: 0, errors: 0, p50s: [], p99s: [] };
  for (let i = 0; i < WINDOWS; i++) {
    await measureWindow(ours, api, path, options);
    await measureWindow(floor, base, path, options);
  }
  return { ours: await report("  API (Koa + TypeORM, full rules)", ours, api), floor: await report("  baseline (bare Koa + mysql2)", floor, base) };
}

/** 1000 members claim at once; time until every one has an answer, p99, and what they got. */
async function claimRush(title: string, side: Side, templateId: number, tokens: string[]) {
  const before = await countersOf(side);
  const started = performance.now();
  const latencies: number[] = [];
  const statuses = await Promise.all(
    tokens.map(async (token) => {
      const t0 = performance.now();
      const res = await fetch(`${side.url}/api/v1/coupons/templates/${templateId}/claim`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" } });
      await res.arrayBuffer();
      latencies.push(performance.now() - t0);
      return res.status;
    }),
  );
  const totalMs = performance.now() - started;
  latencies.sort((a, b) => a - b);
  const p99 = latencies[Math.floor(latencies.length * 0.99) - 1];
  const won = statuses.filter((s) => s === 201).length;
  const counts = perRequest(before, await countersOf(side));
  console.log(`${title.padEnd(34)} all ${tokens.length} served in ${totalMs.toFixed(0)} ms   p99 ${p99.toFixed(0)} ms   coupons ${won}   other answers ${tokens.length - won}   ${counts}`);
  return totalMs;
}

if (which === "faq") await import("./faq.js").then(({ benchFaq }) => benchFaq()).then(() => process.exit(0));
if (which === "reminders") {
  await benchReminders();
  process.exit(0);
}

const prepared = await prepare();
const api = await start("bench/serve-api.ts", true);
const base = await start("bench/serve-baseline.ts");
const headers = { authorization: `Bearer ${prepared.token}`, "content-type": "application/json" };
const cases = [
  { name: "me", path: "/api/v1/me", method: "GET" as const },
  { name: "exchange", path: `/api/v1/coupons/templates/${prepared.exchangeTemplateId}/exchange`, method: "POST" as const },
].filter((c) => which === "all" || which === c.name);
try {
  for (const c of cases) {
    console.log(`\n${c.method} ${c.path} (20 connections; ${WINDOWS} alternating ${WINDOW_S} s windows per side; p50 the median window's, p99 the worst window's)`);
    const { ours, floor } = await measurePair(c.path, { method: c.method, headers });
    console.log(`  ratio API / baseline (requests per second): ${(ours / floor).toFixed(2)}`);
  }
  if (which === "all" || which === "claim") {
    console.log(`\nPOST /api/v1/coupons/templates/:id/claim: ${CLAIMERS} members at once, stock ${CLAIM_STOCK}, one each`);
    const ours = await claimRush("  API (Koa + TypeORM, full rules)", api, prepared.claimTemplateIds[0], prepared.claimTokens);
    const floor = await claimRush("  baseline (bare Koa + mysql2)", base, prepared.claimTemplateIds[1], prepared.claimTokens);
    console.log(`  ratio (baseline time / API time): ${(floor / ours).toFixed(2)}`);
  }
} finally {
  api.child.send("exit"); // it leaves by itself, so a CPU profile gets written
  base.child.kill();
}
