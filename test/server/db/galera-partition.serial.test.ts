// Run by scripts/test.mjs after the main suite, alone: a node cut off from the cluster stalls every
// write in the cluster until the others evict it.
import { createConnection } from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMembers, startTwoInstances, type TwoInstances } from "../../helpers/instances.js";

const nodeUrls = (process.env.TEST_GALERA_URLS ?? "").split(",").filter(Boolean);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs one statement on the second node itself, as an operator would, outside the app. */
async function onSecondNode(sql: string): Promise<Record<string, string>[]> {
  const url = new URL(nodeUrls[1]);
  const connection = await createConnection({ host: url.hostname, port: Number(url.port || 3306), user: decodeURIComponent(url.username), password: decodeURIComponent(url.password) });
  try {
    return (await connection.query(sql))[0] as Record<string, string>[];
  } finally {
    await connection.end();
  }
}

/** Polls the instance's /readyz until it answers 200; returns how long that took in ms. */
async function untilReady(base: string, withinMs: number): Promise<number> {
  const began = Date.now();
  while (Date.now() - began < withinMs) {
    if ((await fetch(`${base}/readyz`)).status === 200) return Date.now() - began;
    await sleep(250);
  }
  throw new Error(`${base} not ready within ${withinMs} ms`);
}

describe.runIf(nodeUrls.length >= 2)("a Galera node cut off from the cluster under two instances", () => {
  let x: TwoInstances;
  let auth: string;
  beforeAll(async () => {
    x = await startTwoInstances("galera");
    [{ auth }] = await createMembers(x.s, 1, "part");
  });
  afterAll(async () => {
    await onSecondNode("SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'").catch(() => undefined);
    await x.close();
  });

  it("answers 503 DB_UNAVAILABLE, never 500, while its node is not in the primary component (error 1047), and serves again once the node is back", async () => {
    expect((await x.call(1, "PATCH", "/api/v1/me", auth, { nickname: "隔离之前" })).status).toBe(200);
    await onSecondNode("SET GLOBAL wsrep_provider_options = 'gmcast.isolate=1'");
    try {
      let cluster = "";
      for (let i = 0; i < 40 && cluster !== "non-Primary"; i++, await sleep(250)) cluster = (await onSecondNode("SHOW STATUS LIKE 'wsrep_cluster_status'"))[0].Value;
      expect(cluster).toBe("non-Primary");

      expect((await fetch(`${x.urls[1]}/readyz`)).status).toBe(503);
      // a member's reads (causal) and write, and a public read
      for (const [method, path, who, body] of [
        ["GET", "/api/v1/me", auth, undefined],
        ["PATCH", "/api/v1/me", auth, { nickname: "节点隔离" }],
        ["GET", "/api/v1/me/points", auth, undefined],
        ["GET", "/api/v1/stores", "", undefined],
      ] as const) {
        const res = await x.call(1, method, path, who, body);
        expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(503);
        expect(res.body.error.code).toBe("DB_UNAVAILABLE");
      }
      // the instance on a live node keeps serving once the others have evicted the cut-off node
      const began = Date.now();
      const write = await x.call(0, "PATCH", "/api/v1/me", auth, { nickname: "多数派" });
      console.log(`Galera: a write on a live node answered ${write.status} after ${Date.now() - began} ms while another node was cut off`);
      expect([200, 503]).toContain(write.status);
    } finally {
      await onSecondNode("SET GLOBAL wsrep_provider_options = 'gmcast.isolate=0'");
    }
    console.log(`Galera: the cut-off node's instance was ready again ${await untilReady(x.urls[1], 60_000)} ms after the node was let back`);
    expect((await x.call(1, "PATCH", "/api/v1/me", auth, { nickname: "节点归队" })).status).toBe(200);
    expect((await x.call(1, "GET", "/api/v1/me", auth)).body.nickname).toBe("节点归队");
  }, 180_000);
});
