import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createConnection } from "mysql2/promise";
import { afterAll, describe, expect, it } from "vitest";
import type { DataSource } from "typeorm";
import { createDataSource } from "../../../server/db/data-source.js";
import { MIGRATIONS } from "../../../server/db/migrations/index.js";
import { withStartupLock } from "../../../server/db/startup-lock.js";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "../../helpers/databases.js";
import { startServerProcess, stopServerProcess } from "../../helpers/processes.js";

const dir = mkdtempSync(join(tmpdir(), "aftersales-cold-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A new, empty MariaDB database reachable through each of the given servers (one, or nodes of one cluster). */
async function emptyDatabase(servers: string[]) {
  const name = `cold_${randomBytes(4).toString("hex")}`;
  const first = new URL(servers[0]);
  const admin = await createConnection({ host: first.hostname, port: Number(first.port || 3306), user: decodeURIComponent(first.username), password: decodeURIComponent(first.password) });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  const urls = servers.map((s) => Object.assign(new URL(s), { pathname: `/${name}` }).toString());
  return {
    urls,
    async drop() {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await admin.end();
    },
  };
}

/** Starts four instances at the same moment, each on the URL of its turn, and checks one schema and one set of demo rows. */
async function coldStart(urls: string[]) {
  const instances = Array.from({ length: 4 }, (_, i) => startServerProcess({ DATABASE_URL: urls[i % urls.length], JOBS_ENABLED: "false" }));
  try {
    const bases = await Promise.all(instances.map((p) => p.listening));
    for (const base of bases) expect((await fetch(`${base}/readyz`)).status).toBe(200);
    // the generated admin password is printed by exactly one of them: one admin was created
    expect(instances.filter((p) => /初始密码/.test(p.output()))).toHaveLength(1);
    const dataSource = createDataSource(urls[0]);
    await dataSource.initialize();
    try {
      const count = async (sql: string) => Number((await dataSource.query(sql))[0].n);
      expect(await count("SELECT COUNT(*) AS n FROM migrations")).toBe(MIGRATIONS.length);
      expect(await count("SELECT COUNT(*) AS n FROM store")).toBe(2);
      expect(await count("SELECT COUNT(*) AS n FROM member")).toBe(3);
      expect(await count("SELECT COUNT(*) AS n FROM staff_account")).toBe(1);
      expect(await count("SELECT COUNT(*) AS n FROM service_type")).toBe(5);
    } finally {
      await dataSource.destroy();
    }
    const stores = (await (await fetch(`${bases[3]}/api/v1/stores`)).json()) as unknown[];
    expect(stores).toHaveLength(2);
  } finally {
    const codes = await Promise.all(instances.map(stopServerProcess));
    expect(codes.every((c) => c === 0), instances.map((p) => p.output()).join("\n---\n")).toBe(true);
  }
}

const mysqlUrl = process.env.TEST_MYSQL_URL;
const galeraUrls = process.env.TEST_GALERA_URLS?.split(",").filter(Boolean) ?? [];

describe("four instances started at the same moment on an empty database", () => {
  it("come up on one schema and one set of demo data on one SQLite file", async () => {
    await coldStart([`sqlite:${join(dir, "shared.sqlite")}`]);
  }, 120_000);

  it.runIf(mysqlUrl)("come up on one schema and one set of demo data on one MariaDB server", async () => {
    const db = await emptyDatabase([mysqlUrl!]);
    try {
      await coldStart(db.urls);
    } finally {
      await db.drop();
    }
  }, 120_000);

  it.runIf(galeraUrls.length >= 2)("come up on one schema and one set of demo data with two instances on each of two Galera nodes", async () => {
    const db = await emptyDatabase(galeraUrls.slice(0, 2));
    try {
      await coldStart(db.urls);
    } finally {
      await db.drop();
    }
  }, 180_000);
});

describe.each(DATABASE_KINDS)("the startup lock on %s", (kind) => {
  let t: TestDatabase;
  let others: DataSource[] = [];
  afterAll(async () => {
    await Promise.all(others.map((d) => d.destroy()));
    await t.close();
  });

  it("lets one holder work at a time across connections, and takes over a lease whose holder died", async () => {
    t = await openTestDatabase(kind, { migrate: false });
    // on MariaDB each "instance" has its own pool; the SQLite file is one process's single connection
    others = kind === "sqlite" ? [] : await Promise.all([1, 2, 3].map(async () => createDataSource(t.url).initialize()));
    const sources = [t.dataSource, ...others];
    const spans: [number, number][] = [];
    await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        withStartupLock(sources[i % sources.length], "test-lock", async () => {
          const start = Date.now();
          await new Promise((resolve) => setTimeout(resolve, 150));
          spans.push([start, Date.now()]);
        }),
      ),
    );
    spans.sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < spans.length; i++) expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);

    await t.dataSource.query("UPDATE app_lock SET owner = 'dead-instance', expiresAt = ? WHERE name = 'test-lock'", [Date.now() - 1]);
    const started = Date.now();
    expect(await withStartupLock(t.dataSource, "test-lock", async () => "taken")).toBe("taken");
    expect(Date.now() - started).toBeLessThan(2000);
  }, 60_000);
});
