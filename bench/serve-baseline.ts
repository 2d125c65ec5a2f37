// Bare Koa + mysql2 doing the least work the same endpoints need: the floor to compare the API against.
import { randomBytes } from "node:crypto";
import Koa from "koa";
import { createPool } from "mysql2/promise";
import { jwtVerify } from "jose";

const url = new URL(process.env.DATABASE_URL!);
const pool = createPool({ host: url.hostname, port: Number(url.port || 3306), user: url.username, password: url.password, database: url.pathname.slice(1), connectionLimit: 20, timezone: "Z" });
const key = new TextEncoder().encode(process.env.JWT_SECRET!);

// Counts the SQL statements sent (BEGIN and COMMIT included, as the API's count includes them).
let statements = 0;
let served = 0; // requests received (see serve-api.ts)
const counted = <T>(work: Promise<T>) => (statements++, work);
process.on("message", (msg) => {
  if (msg === "statements") process.send?.({ statements, served, cpu: process.cpuUsage() });
});

/** One transaction on one pooled connection; `run` returns the rows a statement changed. A false result rolls back. */
async function inTransaction<T>(work: (run: (sql: string, params: unknown[]) => Promise<number>) => Promise<T>): Promise<T> {
  const conn = await pool.getConnection();
  try {
    await counted(conn.beginTransaction());
    const result = await work(async (sql, params) => ((await counted(conn.query(sql, params)))[0] as { affectedRows: number }).affectedRows);
    await counted(result === false ? conn.rollback() : conn.commit());
    return result;
  } catch (err) {
    await counted(conn.rollback());
    throw err;
  } finally {
    conn.release();
  }
}

const app = new Koa();
app.use(async (ctx) => {
  const { payload } = await jwtVerify(ctx.get("authorization").slice(7), key);
  const memberId = Number(payload.sub);
  if (ctx.method === "GET" && ctx.path === "/api/v1/me") {
    const [rows] = await counted(pool.query("SELECT id, nickname, memberCode, pointsBalance, tierCode FROM member WHERE id = ?", [memberId]));
    ctx.body = (rows as unknown[])[0];
    return;
  }
  const match = /^\/api\/v1\/coupons\/templates\/(\d+)\/exchange$/.exec(ctx.path);
  if (ctx.method === "POST" && match) {
    await inTransaction(async (run) => {
      const spent = await run("UPDATE member SET pointsBalance = pointsBalance - 10 WHERE id = ? AND pointsBalance >= 10", [memberId]);
      const taken = await run("UPDATE coupon_template SET issuedCount = issuedCount + 1 WHERE id = ? AND issuedCount < totalStock", [match[1]]);
      if (spent !== 1 || taken !== 1) throw new Error("refused");
      const now = new Date();
      await run("INSERT INTO points_ledger (memberId, delta, balanceAfter, reason, reasonText, idempotencyKey, shortfall, createdAt) VALUES (?, -10, 0, 'exchange', 'bench', ?, 0, ?)", [memberId, randomBytes(12).toString("hex"), now]);
      await run("INSERT INTO coupon (code, templateId, memberId, status, issuedVia, validFrom, validTo, createdAt) VALUES (?, ?, ?, 'available', 'exchange', ?, ?, ?)", [randomBytes(8).toString("hex"), match[1], memberId, now, now, now]);
    });
    ctx.status = 201;
    ctx.body = { ok: true };
    return;
  }
  const claim = /^\/api\/v1\/coupons\/templates\/(\d+)\/claim$/.exec(ctx.path);
  if (ctx.method === "POST" && claim) {
    // the same guards as the API: stock, then the member's limit of one, then the coupon, in one transaction
    const won = await inTransaction(async (run) => {
      if ((await run("UPDATE coupon_template SET issuedCount = issuedCount + 1 WHERE id = ? AND issuedCount < totalStock AND status = 'active'", [claim[1]])) !== 1) return false;
      await run("INSERT IGNORE INTO coupon_claim_counter (templateId, memberId, claimed) VALUES (?, ?, 0)", [claim[1], memberId]);
      if ((await run("UPDATE coupon_claim_counter SET claimed = claimed + 1 WHERE templateId = ? AND memberId = ? AND claimed < 1", [claim[1], memberId])) !== 1) throw new Error("limit");
      const now = new Date();
      await run("INSERT INTO coupon (code, templateId, memberId, status, issuedVia, validFrom, validTo, createdAt) VALUES (?, ?, ?, 'available', 'claim', ?, ?, ?)", [randomBytes(8).toString("hex"), claim[1], memberId, now, now, now]);
      return true;
    });
    ctx.status = won ? 201 : 409;
    ctx.body = won ? { ok: true } : { error: { code: "COUPON_OUT_OF_STOCK" } };
    return;
  }
  ctx.status = 404;
});
const server = app.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as { port: number }).port }));
server.on("request", () => served++);
