// Bare Koa + mysql2 doing the least work the same endpoints need: the floor to compare the API against.
import { randomBytes } from "node:crypto";
import Koa from "koa";
import { createPool } from "mysql2/promise";
import { jwtVerify } from "jose";

const url = new URL(process.env.DATABASE_URL!);
const pool = createPool({ host: url.hostname, port: Number(url.port || 3306), user: url.username, password: url.password, database: url.pathname.slice(1), connectionLimit: 20, timezone: "Z" });
const key = new TextEncoder().encode(process.env.JWT_SECRET!);

const app = new Koa();
app.use(async (ctx) => {
  const { payload } = await jwtVerify(ctx.get("authorization").slice(7), key);
  const memberId = Number(payload.sub);
  if (ctx.method === "GET" && ctx.path === "/api/v1/me") {
    const [rows] = await pool.query("SELECT id, nickname, memberCode, pointsBalance, tierCode FROM member WHERE id = ?", [memberId]);
    ctx.body = (rows as unknown[])[0];
    return;
  }
  const match = /^\/api\/v1\/coupons\/templates\/(\d+)\/exchange$/.exec(ctx.path);
  if (ctx.method === "POST" && match) {
    const conn = await pool.getConnection();
    try {
      await conn.beginTransaction();
      const [spent] = await conn.query("UPDATE member SET pointsBalance = pointsBalance - 10 WHERE id = ? AND pointsBalance >= 10", [memberId]);
      const [taken] = await conn.query("UPDATE coupon_template SET issuedCount = issuedCount + 1 WHERE id = ? AND issuedCount < totalStock", [match[1]]);
      if ((spent as { affectedRows: number }).affectedRows !== 1 || (taken as { affectedRows: number }).affectedRows !== 1) throw new Error("refused");
      const now = new Date();
      await conn.query("INSERT INTO points_ledger (memberId, delta, balanceAfter, reason, reasonText, idempotencyKey, shortfall, createdAt) VALUES (?, -10, 0, 'exchange', 'bench', ?, 0, ?)", [memberId, randomBytes(12).toString("hex"), now]);
      await conn.query("INSERT INTO coupon (code, templateId, memberId, status, issuedVia, validFrom, validTo, createdAt) VALUES (?, ?, ?, 'available', 'exchange', ?, ?, ?)", [randomBytes(8).toString("hex"), match[1], memberId, now, now, now]);
      await conn.commit();
      ctx.status = 201;
      ctx.body = { ok: true };
    } catch (err) {
      await conn.rollback();
      throw err;
    } finally {
      conn.release();
    }
    return;
  }
  ctx.status = 404;
});
const server = app.listen(0, "127.0.0.1", () => process.send?.({ port: (server.address() as { port: number }).port }));
