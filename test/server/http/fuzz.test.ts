import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { StaffRole } from "../../../server/staff/staff.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { sampleOf } from "../../helpers/schema-samples.js";

// What the fuzzer sent: every value here must end in a coded 4xx (or a success), never a 5xx.
// `text` goes into paths and query strings (an array repeats the key), `json` into bodies as raw JSON.
const BAD_VALUES: { name: string; text: string | string[]; json: string }[] = [
  { name: "Infinity", text: "Infinity", json: "1e309" },
  { name: "-Infinity", text: "-Infinity", json: "-1e309" },
  { name: "1e309", text: "1e309", json: '"1e309"' },
  { name: "huge", text: "1234567890123456789012345", json: "1234567890123456789012345" },
  { name: "int32+1", text: "2147483648", json: "2147483648" },
  { name: "negative", text: "-1", json: "-1" },
  { name: "fractional", text: "1.5", json: "1.5" },
  { name: "empty", text: "", json: '""' },
  { name: "array", text: ["1", "2"], json: "[1,2]" },
  { name: "over-long", text: "x".repeat(5000), json: JSON.stringify("长".repeat(5000)) },
  { name: "null", text: "null", json: "null" },
  { name: "object", text: "{}", json: '{"a":1}' },
];
const WHOLE_BODIES = ["[]", '"x"', "1e309", "null", '{"a":{"b":[1e309]}}'];
const ROLES: ("anonymous" | "member" | StaffRole)[] = ["anonymous", "member", "advisor", "agent", "manager", "admin"];
const CHINESE = /[\u4e00-\u9fff]/;

interface Operation {
  method: string;
  path: string;
  pathParams: Record<string, any>;
  queryParams: Record<string, any>;
  body?: Record<string, any>;
}

interface Probe {
  label: string;
  path: string;
  query: [string, string][];
  body?: string;
}

const encode = (v: unknown) => encodeURIComponent(String(v));

/** Every probe of one operation: each parameter with each bad value, the others valid. */
function probesOf(op: Operation): Probe[] {
  const pathWith = (override: Record<string, string>) => op.path.replace(/\{(\w+)\}/g, (_, name) => override[name] ?? encode(sampleOf(op.pathParams[name])));
  const required = Object.entries(op.queryParams).filter(([, p]) => p.required);
  const baseQuery = required.map(([name, p]) => [name, String(sampleOf(p.schema))] as [string, string]);
  const baseBody = op.body ? (sampleOf(op.body) as Record<string, unknown>) : undefined;
  const bodyWith = (field: string, json: string) => {
    const rest = JSON.stringify({ ...baseBody, [field]: undefined });
    return rest === "{}" ? `{"${field}":${json}}` : `{"${field}":${json},${rest.slice(1)}`;
  };
  const probes: Probe[] = [];
  for (const bad of BAD_VALUES) {
    for (const name of Object.keys(op.pathParams)) {
      const text = Array.isArray(bad.text) ? bad.text.join(",") : bad.text;
      probes.push({ label: `path ${name}=${bad.name}`, path: pathWith({ [name]: encode(text) }), query: baseQuery, body: baseBody && JSON.stringify(baseBody) });
    }
    for (const name of Object.keys(op.queryParams)) {
      const values = (Array.isArray(bad.text) ? bad.text : [bad.text]).map((v) => [name, v] as [string, string]);
      probes.push({ label: `query ${name}=${bad.name}`, path: pathWith({}), query: [...baseQuery.filter(([k]) => k !== name), ...values], body: baseBody && JSON.stringify(baseBody) });
    }
    for (const field of Object.keys(op.body?.properties ?? {})) {
      probes.push({ label: `body ${field}=${bad.name}`, path: pathWith({}), query: baseQuery, body: bodyWith(field, bad.json) });
    }
  }
  if (op.body) for (const raw of WHOLE_BODIES) probes.push({ label: `body ${raw.slice(0, 20)}`, path: pathWith({}), query: baseQuery, body: raw });
  return probes;
}

describe.each(DATABASE_KINDS)("every operation with hostile input, as every role, on %s", (kind) => {
  let s: TestApp;
  let server: Server;
  let base: string;
  let operations: Operation[];
  const tokens: Partial<Record<(typeof ROLES)[number], string>> = {};
  const login = async (role: (typeof ROLES)[number]) => {
    if (role === "anonymous") return;
    tokens[role] = role === "member" ? (await s.loginMember(`fuzz-${kind}`, 1)).auth : (await s.loginStaff(role, role === "admin" ? null : 1)).auth;
  };

  beforeAll(async () => {
    s = await startTestApp(kind);
    for (const role of ROLES) await login(role);
    server = createServer(s.app.callback()).listen(0, "127.0.0.1");
    await once(server, "listening");
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const doc = (await s.http.get("/api/v1/openapi.json").expect(200)).body;
    operations = Object.entries(doc.paths as Record<string, Record<string, any>>).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        pathParams: Object.fromEntries(op.parameters.filter((p: any) => p.in === "path").map((p: any) => [p.name, p.schema])),
        queryParams: Object.fromEntries(op.parameters.filter((p: any) => p.in === "query").map((p: any) => [p.name, p])),
        body: op.requestBody?.content["application/json"].schema,
      })),
    );
  });
  afterAll(async () => {
    server?.close();
    await s.close();
  });

  it("answers every probe with a JSON error carrying a code and a Chinese message, or a success; never a 5xx", async () => {
    expect(operations.length).toBeGreaterThan(70);
    const failures: string[] = [];
    let sent = 0;
    let n = 0;
    for (const op of operations) {
      const probes = probesOf(op);
      const revoked = new Set<(typeof ROLES)[number]>();
      for (const role of ROLES) {
        // a few requests in flight at once, as clients would send them
        for (let i = 0; i < probes.length; i += 8) {
          await Promise.all(
            probes.slice(i, i + 8).map(async (probe) => {
              const query = new URLSearchParams(probe.query).toString();
              const headers: Record<string, string> = { "idempotency-key": `fuzz-${kind}-${++n}` };
              if (tokens[role]) headers.authorization = tokens[role]!;
              if (probe.body !== undefined) headers["content-type"] = "application/json";
              const res = await fetch(`${base}${probe.path}${query ? "?" + query : ""}`, { method: op.method, headers, body: op.method === "GET" ? undefined : probe.body });
              sent++;
              const text = await res.text();
              let error: { code?: unknown; message?: unknown } | undefined;
              try {
                error = text ? JSON.parse(text).error : undefined;
              } catch {
                error = undefined;
              }
              if (["TOKEN_INVALID", "ACCOUNT_DISABLED", "ACCOUNT_LOCKED"].includes(String(error?.code))) revoked.add(role);
              const coded = typeof error?.code === "string" && typeof error.message === "string" && CHINESE.test(error.message);
              if (res.status >= 500 || (res.status >= 400 && !coded)) failures.push(`${op.method} ${op.path} ${probe.label} as ${role} → ${res.status} ${text.slice(0, 160)}`);
            }),
          );
        }
      }
      // a probe that succeeded may have changed a test account's password or disabled it: log in afresh
      for (const role of revoked) await login(role);
    }
    expect(sent).toBeGreaterThan(10_000);
    expect(failures.slice(0, 40)).toEqual([]);
  }, 600_000);
});
