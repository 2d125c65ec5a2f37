import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import Koa from "koa";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { consoleStatic } from "../../server/http/console.js";

function appServing(dist: string) {
  const app = new Koa();
  app.use(consoleStatic(dist));
  app.use((ctx) => (ctx.body = { api: ctx.path }));
  return request(app.callback());
}

describe("the console's static middleware", () => {
  const dist = mkdtempSync(path.join(os.tmpdir(), "console-dist-"));
  mkdirSync(path.join(dist, "assets"));
  writeFileSync(path.join(dist, "index.html"), "<!doctype html><title>console</title>");
  writeFileSync(path.join(dist, "assets", "index-abc123.js"), "console.log(1)");
  const http = appServing(dist);

  it("answers deep links with index.html, never cached", async () => {
    const res = await http.get("/console/complaints/12").expect(200);
    expect(res.text).toContain("<title>console</title>");
    expect(res.headers["cache-control"]).toBe("no-cache");
    await http.get("/console").expect(302).expect("location", "/console/");
  });

  it("serves hashed assets with a year's immutable cache and 404s a missing one", async () => {
    const res = await http.get("/console/assets/index-abc123.js").expect(200);
    expect(res.headers["content-type"]).toContain("text/javascript");
    expect(res.headers["cache-control"]).toContain("immutable");
    await http.get("/console/assets/gone-000.js").expect(404);
  });

  it("never reads outside the dist folder and leaves other paths alone", async () => {
    const res = await http.get("/console/..%2F..%2Fetc%2Fpasswd").expect(200);
    expect(res.text).toContain("<title>console</title>");
    expect((await http.get("/api/v1/stores").expect(200)).body).toEqual({ api: "/api/v1/stores" });
  });

  it("explains in Chinese how to build it when console/dist is missing", async () => {
    const res = await appServing(path.join(dist, "nope")).get("/console/").expect(503);
    expect(res.text).toContain("npm run console:build");
    expect(res.text).toContain("员工工作台尚未构建");
  });
});
