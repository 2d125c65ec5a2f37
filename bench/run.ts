// npm run bench [-- me|exchange] — measures the API and a bare Koa + mysql2 baseline in the same run
// on MariaDB (BENCH_MYSQL_URL, default mariadb://root@127.0.0.1:3306) and prints the ratio.
import { fork, type ChildProcess } from "node:child_process";
import autocannon from "autocannon";
import { createConnection } from "mysql2/promise";
import { loadConfig } from "../server/config.js";
import { createDataSource } from "../server/db/data-source.js";
import { Database } from "../server/db/database.js";
import { migrate } from "../server/db/migrate.js";
import { seed } from "../server/db/seed.js";
import { CouponTemplate } from "../server/coupons/coupons.entity.js";
import { Member } from "../server/members/members.entity.js";
import { signToken } from "../server/http/tokens.js";

const server = new URL(process.env.BENCH_MYSQL_URL ?? "mariadb://root@127.0.0.1:3306");
const DB = "bench_aftersales";
const which = process.argv[2] ?? "all";
const env = { DATABASE_URL: `${server.protocol}//${server.username}${server.password ? ":" + server.password : ""}@${server.host}/${DB}`, JWT_SECRET: "bench-secret-0123456789-0123456789-abcdef", LOG_LEVEL: "silent", NODE_ENV: "development", BCRYPT_ROUNDS: "4", ADMIN_PASSWORD: "bench-admin-1" };

async function prepare() {
  const admin = await createConnection({ host: server.hostname, port: Number(server.port || 3306), user: server.username, password: server.password });
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.query(`CREATE DATABASE ${DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const config = loadConfig(env);
  const dataSource = createDataSource(config.databaseUrl);
  await dataSource.initialize();
  await migrate(dataSource);
  const db = new Database(dataSource);
  await seed(db, config);
  const member = await db.read((m) => m.findOneByOrFail(Member, { openid: "demo-member-1" }));
  await db.tx((m) => m.update(Member, { id: member.id }, { pointsBalance: 100_000_000 }));
  await db.tx((m) => m.query("INSERT INTO points_lot (memberId, ledgerId, points, remaining, expiresAt, createdAt) VALUES (?, 0, 100000000, 100000000, ?, ?)", [member.id, new Date(Date.now() + 365 * 86_400_000), new Date()]));
  await db.tx((m) => m.query("INSERT INTO points_ledger (memberId, delta, balanceAfter, reason, reasonText, idempotencyKey, shortfall, createdAt) VALUES (?, 100000000, 100000000, 'adjust', 'bench', 'bench-seed', 0, ?)", [member.id, new Date()]));
  const template = await db.tx((m) =>
    m.save(m.create(CouponTemplate, { name: "bench", kind: "cash", valueFen: 100, percentOff: null, maxDiscountFen: null, thresholdFen: 0, serviceName: null, validFrom: null, validTo: null, validDays: 30, totalStock: 10_000_000, issuedCount: 0, perMemberLimit: null, tierCodes: null, channel: "exchange", pointsCost: 10, storeId: null, status: "active", jobCode: null, createdBy: null, createdAt: new Date() })),
  );
  const { token } = await signToken(config, { typ: "member", sub: member.id });
  await dataSource.destroy();
  return { token, templateId: template.id };
}

function start(script: string): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(script, { execArgv: ["--import", "tsx"], env: { ...process.env, ...env }, stdio: "inherit" });
  return new Promise((resolve) => child.once("message", (msg: { port: number }) => resolve({ child, url: `http://127.0.0.1:${msg.port}` })));
}

async function measure(title: string, url: string, options: Partial<autocannon.Options>) {
  const result = await autocannon({ url, connections: 20, duration: 10, ...options });
  const errors = result.non2xx + result.errors;
  console.log(`${title.padEnd(34)} ${result.requests.average.toFixed(0).padStart(7)} req/s   p50 ${result.latency.p50} ms   p99 ${result.latency.p99} ms   errors ${errors}`);
  return result.requests.average;
}

const { token, templateId } = await prepare();
const api = await start("bench/serve-api.ts");
const base = await start("bench/serve-baseline.ts");
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
const cases = [
  { name: "me", path: "/api/v1/me", method: "GET" as const },
  { name: "exchange", path: `/api/v1/coupons/templates/${templateId}/exchange`, method: "POST" as const },
].filter((c) => which === "all" || which === c.name);
try {
  for (const c of cases) {
    console.log(`\n${c.method} ${c.path} (20 connections, 10 s each)`);
    const ours = await measure("  API (Koa + TypeORM, full rules)", api.url + c.path, { method: c.method, headers });
    const floor = await measure("  baseline (bare Koa + mysql2)", base.url + c.path, { method: c.method, headers });
    console.log(`  ratio API / baseline: ${(ours / floor).toFixed(2)}`);
  }
} finally {
  api.child.kill();
  base.child.kill();
}
