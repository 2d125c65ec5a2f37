import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMembers, startTwoInstances, type TwoInstances } from "../../helpers/instances.js";
import { createApp } from "../../../server/app.js";
import { createDataSource } from "../../../server/db/data-source.js";
import { runAsMember } from "../../../server/db/causal-scope.js";
import { Database } from "../../../server/db/database.js";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const galera = (process.env.TEST_GALERA_URLS ?? "").split(",").filter(Boolean).length >= 2;

/** n writes through instance 0 (node 1), each read back at once through `readBase` (node 2); returns how many reads were stale. */
async function staleReads(x: TwoInstances, readBase: string, auth: string, n: number): Promise<number> {
  let stale = 0;
  for (let i = 0; i < n; i++) {
    const nickname = `读写${i}`;
    const write = await x.call(0, "PATCH", "/api/v1/me", auth, { nickname });
    expect(write.status).toBe(200);
    const read = await fetch(`${readBase}/api/v1/me`, { headers: { authorization: auth } });
    expect(read.status).toBe(200);
    if (((await read.json()) as { nickname: string }).nickname !== nickname) stale++;
  }
  return stale;
}

describe.runIf(galera)("a member on two instances whose databases are two Galera nodes", () => {
  let x: TwoInstances;
  let auth: string;
  beforeAll(async () => {
    x = await startTwoInstances("galera");
    [{ auth }] = await createMembers(x.s, 1, "ryw");
  });
  afterAll(() => x.close());

  it("reads their own writes: 1000 writes through node 1, each read at once through node 2, none stale", async () => {
    expect(await staleReads(x, x.urls[1], auth, 1000)).toBe(0);
  }, 120_000);

  it("sets the causality check for the reads of a member's request only (DB_CAUSAL_READS=member)", async () => {
    const db = new Database(await createDataSource(x.s.t.nodeUrls[1]).initialize());
    try {
      const syncWait = () => db.read(async (m) => Number((await m.query("SELECT @@SESSION.wsrep_sync_wait AS v"))[0].v));
      expect(await runAsMember(syncWait)).toBe(1);
      expect(await syncWait()).toBe(0);
    } finally {
      await db.dataSource.destroy();
    }
  });

  it("reports the node's Galera state in readiness", async () => {
    const ready = (await (await fetch(`${x.urls[1]}/readyz`)).json()) as { galera: { state: string; cluster: string; size: number } };
    expect(ready.galera).toEqual({ state: "Synced", cluster: "Primary", size: 3 });
  });

  it("without causal reads (DB_CAUSAL_READS=off) the same reads are not guaranteed; the count is printed for the README", async () => {
    const dataSource = await createDataSource(x.s.t.nodeUrls[1]).initialize();
    const server = createServer(createApp({ config: x.s.config, db: new Database(dataSource, { causalReads: "off" }) }).callback()).listen(0, "127.0.0.1");
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const stale = await staleReads(x, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, auth, 300);
      console.log(`Galera, causal reads off: ${stale} stale reads in 300 write-then-read pairs across nodes`);
    } finally {
      server.close();
      await dataSource.destroy();
    }
  }, 120_000);
});
