import { randomBytes } from "node:crypto";
import { createConnection } from "mysql2/promise";
import type { DataSource } from "typeorm";
import { createDataSource } from "../../server/db/data-source.js";
import { Database } from "../../server/db/database.js";

/** Set by scripts/test.mjs when a MariaDB/MySQL server answered; the MariaDB suite runs only then. */
const mysqlUrl = process.env.TEST_MYSQL_URL;  // mariadb://root@127.0.0.1:3306/test

export type DatabaseKind = "sqlite" | "mariadb";
export const DATABASE_KINDS: DatabaseKind[] = mysqlUrl ? ["sqlite", "mariadb"] : ["sqlite"];

export interface TestDatabase {
  kind: DatabaseKind;
  url: string;
  dataSource: DataSource;
  db: Database;
  /** Destroys the connection and drops the throwaway database. */
  close(): Promise<void>;
}

/** A fresh, migrated database of the given kind: in-memory SQLite, or a new MariaDB schema. */
export async function openTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  let url = "sqlite::memory:";
  let drop = async () => {};
  if (kind === "mariadb") {
    if (!mysqlUrl) throw new Error("TEST_MYSQL_URL is not set");
    const name = `t_${process.pid}_${randomBytes(4).toString("hex")}`;
    const admin = new URL(mysqlUrl);
    const connection = await createConnection({ host: admin.hostname, port: Number(admin.port || 3306), user: decodeURIComponent(admin.username), password: decodeURIComponent(admin.password) });
    await connection.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    admin.pathname = `/${name}`;
    url = admin.toString();
    drop = async () => {
      await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await connection.end();
    };
  }
  const dataSource = createDataSource(url);
  await dataSource.initialize();
  if (options.migrate !== false) await dataSource.runMigrations({ transaction: "each" });
  return {
    kind,
    url,
    dataSource,
    db: new Database(dataSource),
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      await drop();
    },
  };
}
