import { randomBytes } from "node:crypto";
import { createConnection } from "mysql2/promise";
import type { DataSource } from "typeorm";
import { createDataSource } from "../../server/db/data-source.js";
import { Database } from "../../server/db/database.js";

/** Set by scripts/test.mjs when a MariaDB/MySQL server answered; the MariaDB suite runs only then. */
const mysqlUrl = process.env.TEST_MYSQL_URL;  // mariadb://root@127.0.0.1:3306/test

/** Set by scripts/test.mjs when a local Galera cluster answers (scripts/galera.sh): one URL per node. */
const galeraUrls = process.env.TEST_GALERA_URLS?.split(",").filter(Boolean) ?? [];

export type DatabaseKind = "sqlite" | "mariadb" | "galera";
/** Where the whole suite runs. */
export const DATABASE_KINDS: DatabaseKind[] = mysqlUrl ? ["sqlite", "mariadb"] : ["sqlite"];
/** Where the race tests run: also across two nodes of a Galera cluster when one is up. */
export const RACE_KINDS: DatabaseKind[] = [...DATABASE_KINDS, ...(galeraUrls.length >= 2 ? (["galera"] as const) : [])];

export interface TestDatabase {
  kind: DatabaseKind;
  url: string;
  /** the same database through each node of a Galera cluster (just `url` elsewhere) */
  nodeUrls: string[];
  dataSource: DataSource;
  db: Database;
  /** Destroys the connection and drops the throwaway database. */
  close(): Promise<void>;
}

/**
 * On Galera the tests check what the instances wrote through the first node, right after requests that
 * went through the second: every connection of that DataSource waits for its node to catch up
 * (wsrep_sync_wait), so a check never reads a row the node has not applied yet.
 */
async function makeReadsCausal(dataSource: DataSource) {
  type Conn = { query(sql: string, cb: (err: unknown) => void): void; release(): void };
  const pool = (dataSource.driver as unknown as { pool: { on(e: "connection", cb: (c: Conn) => void): void; getConnection(cb: (err: unknown, c: Conn) => void): void } }).pool;
  pool.on("connection", (conn) => conn.query("SET SESSION wsrep_sync_wait = 1", () => undefined));
  // the connection TypeORM opened to test the pool came before the hook
  await new Promise<void>((resolve, reject) =>
    pool.getConnection((err, conn) => (err ? reject(err) : conn.query("SET SESSION wsrep_sync_wait = 1", (e) => (conn.release(), e ? reject(e) : resolve())))),
  );
}

/** A fresh, migrated database of the given kind: in-memory SQLite, or a new MariaDB schema. */
export async function openTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let url = "sqlite::memory:";
  let nodeUrls = [url];
  let drop = async () => {};
  if (kind !== "sqlite") {
    const server = kind === "galera" ? galeraUrls[0] : mysqlUrl;
    if (!server) throw new Error(kind === "galera" ? "TEST_GALERA_URLS is not set" : "TEST_MYSQL_URL is not set");
    const name = `t_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = new URL(server);
    const connection = await createConnection({ host: admin.hostname, port: Number(admin.port || 3306), user: decodeURIComponent(admin.username), password: decodeURIComponent(admin.password) });
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    admin.pathname = `/${name}`;
    url = admin.toString();
    nodeUrls = kind === "galera" ? galeraUrls.map((node) => Object.assign(new URL(node), { pathname: `/${name}` }).toString()) : [url];
    drop = async () => {
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    };
  }
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  if (kind === "galera") await makeReadsCausal(dataSource);
  if (options.migrate !== false) await dataSource.runMigrations({ transaction: "each" });
  // On Galera the app gets a pool of its own, so its session settings never touch the causal checks above.
  const appDataSource = kind === "galera" ? await createDataSource(url).initialize() : dataSource;
  return {
    kind,
    url,
    nodeUrls,
    dataSource,
    db: new Database(appDataSource),
    async close() {
      for (const source of new Set([appDataSource, dataSource])) if (source.isInitialized) await source.destroy();
      await drop();
    },
  };
}
