// Run by scripts/test.mjs after the main suite, alone: killing a node stalls every write in the cluster.
import { execFileSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMembers, startTwoInstances, type TwoInstances } from "../../helpers/instances.js";

const galera = (process.env.TEST_GALERA_URLS ?? "").split(",").filter(Boolean).length >= 2;
const galeraScript = (...args: string[]) => execFileSync("bash", ["scripts/galera.sh", ...args, process.env.GALERA_DIR ?? "/tmp/aftersales-galera"], { stdio: "pipe" }).toString();

describe.runIf(galera)("a Galera node killed under two instances", () => {
  let x: TwoInstances;
  let auth: string;
  beforeAll(async () => {
    x = await startTwoInstances("galera");
    [{ auth }] = await createMembers(x.s, 1, "kill");
  });
  afterAll(async () => {
    galeraScript("start-node", "2");
    await x.close();
  });

  it("answers 503 (never 500) on the instance whose node died, says so in readiness, stalls writes elsewhere only until eviction, and recovers after the rejoin", async () => {
    expect((await x.call(1, "GET", "/api/v1/me", auth)).status).toBe(200);
    galeraScript("kill-node", "2");
    const killedAt = Date.now();

    // the instance on the dead node: readiness 503, requests 503 DB_UNAVAILABLE
    expect((await fetch(`${x.urls[1]}/readyz`)).status).toBe(503);
    const onDeadNode = await x.call(1, "PATCH", "/api/v1/me", auth, { nickname: "节点宕机" });
    expect(onDeadNode.status).toBe(503);
    expect(["DB_UNAVAILABLE", "BUSY"]).toContain(onDeadNode.body.error.code);

    // the instance on a live node: its write waits until the cluster evicts the dead node, then commits
    const write = await x.call(0, "PATCH", "/api/v1/me", auth, { nickname: "幸存节点" });
    const stalledMs = Date.now() - killedAt;
    console.log(`Galera: a write on a live node waited ${stalledMs} ms after another node was killed`);
    expect([200, 503]).toContain(write.status);

    galeraScript("start-node", "2");
    let status = 0;
    for (let i = 0; i < 100 && status !== 200; i++) {
      status = (await fetch(`${x.urls[1]}/readyz`)).status;
      if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 300));
    }
    expect(status).toBe(200);
    const after = await x.call(1, "PATCH", "/api/v1/me", auth, { nickname: "节点恢复" });
    expect(after.status).toBe(200);
  }, 180_000);
});
