import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

// Bodies that every route must answer with a coded 4xx (or a success), never a 5xx.
const BAD_BODIES: unknown[] = [{}, [], { storeId: "1", amountFen: 1e20, code: "x".repeat(5000), start: "2026-02-30T25:00:00Z", extra: { nested: [1] } }];
const BAD_PARAMS = ["1", "abc", "99999999", "%E4%B8%AD"];

describe.each(DATABASE_KINDS)("every route with bad input on %s", (kind) => {
  let s: TestApp;
  let tokens: Record<string, string>;
  let routes: { method: string; path: string }[];
  beforeAll(async () => {
    s = await startTestApp(kind);
    // a member and an admin get past every access check, so the input reaches validation and the services
    tokens = { member: (await s.loginMember("fuzz-member", 1)).auth, admin: (await s.loginStaff("admin", null)).auth };
    const doc = (await s.http.get("/api/v1/openapi.json").expect(200)).body;
    routes = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) => Object.keys(methods).map((method) => ({ method, path })));
  });
  afterAll(() => s.close());

  it("answers every documented route with a coded error or a success, never a 5xx", async () => {
    expect(routes.length).toBeGreaterThan(60);
    const failures: string[] = [];
    for (const route of routes) {
      for (const param of BAD_PARAMS) {
        const path = route.path.replace(/\{[^}]+\}/g, param);
        for (const [who, auth] of Object.entries(tokens)) {
          for (const [query, body] of (route.method === "get" || route.method === "delete" ? [undefined] : BAD_BODIES).flatMap((b) => [["", b], ["?page=x&storeId=y&date=z", b]] as const)) {
            let req = (s.http as unknown as Record<string, (p: string) => import("supertest").Test>)[route.method](path + query);
            if (auth) req = req.set("Authorization", auth);
            const res = body === undefined ? await req : await req.send(body as object);
            if (res.status >= 500 || (res.status >= 400 && typeof res.body?.error?.code !== "string")) failures.push(`${route.method.toUpperCase()} ${path} as ${who} → ${res.status} ${JSON.stringify(res.body).slice(0, 120)}`);
          }
        }
      }
    }
    expect(failures).toEqual([]);
  }, 120_000);
});
