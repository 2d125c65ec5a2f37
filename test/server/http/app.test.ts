import { afterAll, beforeAll, describe, expect, it } from "vitest";
import request from "supertest";
import { once } from "node:events";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { gzipSync } from "node:zlib";
import { createApp } from "../../../server/app.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("HTTP core on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind, { BODY_LIMIT: "2kb" });
  });
  afterAll(() => s.close());

  it("answers liveness and readiness with the database checked", async () => {
    expect((await s.http.get("/healthz").expect(200)).body).toEqual({ status: "ok" });
    expect((await s.http.get("/readyz").expect(200)).body.status).toBe("ready");
  });

  it("gives every response a request id and keeps a sane incoming one", async () => {
    const fresh = await s.http.get("/healthz");
    expect(fresh.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await s.http.get("/healthz").set("X-Request-Id", "trace-123");
    expect(kept.headers["x-request-id"]).toBe("trace-123");
    const replaced = await s.http.get("/healthz").set("X-Request-Id", "bad id with spaces");
    expect(replaced.headers["x-request-id"]).not.toBe("bad id with spaces");
  });

  it("rejects a body over the limit with 413 and a code", async () => {
    const res = await s.http.post("/api/v1/auth/dev").send({ openid: "big-body", nickname: "x".repeat(5000) });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("PAYLOAD_TOO_LARGE");
  });

  it("rejects malformed JSON with 400 INVALID_JSON", async () => {
    const res = await s.http.post("/api/v1/auth/dev").set("content-type", "application/json").send('{"openid": ');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("INVALID_JSON");
  });

  it("answers unknown paths and wrong methods with coded errors", async () => {
    const missing = await s.http.get("/api/v1/nope");
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ code: "NOT_FOUND", message: "接口不存在", details: null });
    const wrongMethod = await s.http.delete("/api/v1/stores");
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.body.error.code).toBe("METHOD_NOT_ALLOWED");
    expect(wrongMethod.body.error.message).toMatch(/不支持该请求方法/);
    expect(wrongMethod.headers.allow).toBe("GET, HEAD");
    const options = await s.http.options("/api/v1/me/assets/1");
    expect(options.status).toBe(204);
    expect(options.headers.allow).toBe("DELETE, GET, HEAD, PATCH");
  });

  it("answers a body whose compression is broken or unknown with a coded 4xx, not a 500", async () => {
    for (const encoding of ["gzip", "deflate", "br"]) {
      const res = await s.http.post("/api/v1/auth/dev").set("content-type", "application/json").set("content-encoding", encoding).send("definitely not compressed");
      expect(res.status, encoding).toBe(400);
      expect(res.body.error.code).toBe("BODY_ENCODING_INVALID");
    }
    const unknown = await s.http.post("/api/v1/auth/dev").set("content-type", "application/json").set("content-encoding", "zstd-x").send("{}");
    expect(unknown.status).toBe(415);
    expect(unknown.body.error.code).toBe("BODY_ENCODING_UNSUPPORTED");
    // supertest re-serialises a Buffer body, so the well-formed gzip body goes through a real socket
    const server = createServer(s.app.callback()).listen(0, "127.0.0.1");
    await once(server, "listening");
    const good = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/auth/dev`, {
      method: "POST",
      headers: { "content-type": "application/json", "content-encoding": "gzip" },
      body: gzipSync(JSON.stringify({ openid: "gzip-member" })),
    });
    server.close();
    expect(good.status).toBe(200);
  });

  it("refuses numbers that are not finite, not whole or out of range in paths and queries before any query runs", async () => {
    const manager = await s.loginStaff("manager", null);
    for (const days of ["Infinity", "-Infinity", "1e309", "1e3", "0x10", "1.5", "", " 5", "366", "1234567890123456789012345"]) {
      const res = await s.http.get(`/api/v1/staff/maintenance-due?days=${encodeURIComponent(days)}`).set("Authorization", manager.auth);
      expect(res.status, days).toBe(400);
      expect(res.body.error).toMatchObject({ code: "VALIDATION_FAILED", details: [expect.objectContaining({ in: "query", field: "days" })] });
    }
    const member = await s.loginMember("range-member");
    for (const id of ["Infinity", "1e309", "2147483648", "1234567890123456789012345", "-1", "0"]) {
      const res = await s.http.get(`/api/v1/me/assets/${id}`).set("Authorization", member.auth);
      expect(res.status, id).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    expect((await s.http.get("/api/v1/me/assets/2147483647").set("Authorization", member.auth)).status).toBe(404);
    const repeated = await s.http.get("/api/v1/staff/maintenance-due?days=1&days=2").set("Authorization", manager.auth);
    expect(repeated.status).toBe(400);
  });

  it("validates query strings and path params too, with Chinese messages", async () => {
    const member = await s.loginMember("core-validate");
    const res = await s.http.get("/api/v1/me/assets/abc").set("Authorization", member.auth);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.details[0]).toMatchObject({ in: "params", field: "id" });
    expect(res.body.error.message).toMatch(/请求参数不合法/);
    const extra = await s.http.get("/api/v1/stores?debug=1");
    expect(extra.status).toBe(400);
    expect(extra.body.error.details[0]).toMatchObject({ in: "query", field: "debug", rule: "additionalProperties" });
  });

  it("routes a POST with X-HTTP-Method-Override: PATCH as a PATCH (wx.request has no PATCH)", async () => {
    const member = await s.loginMember("core-override");
    const res = await s.http.post("/api/v1/me").set("Authorization", member.auth).set("X-HTTP-Method-Override", "PATCH").send({ nickname: "小程序用户" }).expect(200);
    expect(res.body.nickname).toBe("小程序用户");
  });

  it("publishes an OpenAPI 3.1 document built from the validation schemas", async () => {
    const doc = (await s.http.get("/api/v1/openapi.json").expect(200)).body;
    expect(doc.openapi).toBe("3.1.0");
    const addAsset = doc.paths["/api/v1/me/assets"].post;
    expect(addAsset.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
    expect(addAsset.requestBody.content["application/json"].schema.properties.mileage).toEqual({ type: "integer", minimum: 0, maximum: 2_000_000 });
    expect(doc.paths["/api/v1/me/assets/{id}"].get.parameters[0]).toMatchObject({ name: "id", in: "path", required: true });
    expect(doc.paths["/api/v1/staff/members/{id}/archive"].get.parameters.map((p: { name: string }) => p.name)).toEqual(["id", "reason"]);
    for (const methods of Object.values(doc.paths) as Record<string, { requestBody?: { content: Record<string, { schema: { additionalProperties?: boolean } }> } }>[]) {
      for (const op of Object.values(methods)) {
        if (op.requestBody) expect(op.requestBody.content["application/json"].schema.additionalProperties).toBe(false);
      }
    }
  });

  it("reports not ready, without crashing, once the database is gone", async () => {
    const other = await startTestApp(kind);
    await other.t.dataSource.destroy();
    const res = await request(createApp({ config: other.config, db: other.t.db }).callback()).get("/readyz");
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("DB_UNAVAILABLE");
    const api = await other.http.get("/api/v1/stores");
    expect(api.status).toBe(503);
    expect(api.body.error).toMatchObject({ code: "DB_UNAVAILABLE", message: "系统繁忙，请稍后再试" });
    expect(api.headers["retry-after"]).toBe("5");
    expect(JSON.stringify(api.body)).not.toMatch(/sqlite|mysql|stack/i);
    await other.close();
  });
});
