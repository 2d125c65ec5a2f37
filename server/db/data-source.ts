import "reflect-metadata";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { DataSource, type DataSourceOptions } from "typeorm";
import { ENTITIES } from "./entities.js";
import { MIGRATIONS } from "./migrations/index.js";

/** Builds DataSource options from DATABASE_URL: mysql://… (mysql2) or sqlite:<file> (better-sqlite3). */
export function dataSourceOptions(databaseUrl: string): DataSourceOptions {
  const common = { entities: ENTITIES, migrations: MIGRATIONS, synchronize: false, migrationsRun: false, logging: false } as const;
  if (databaseUrl.startsWith("sqlite:")) {
    const file = databaseUrl.slice("sqlite:".length);
    if (file !== ":memory:") mkdirSync(dirname(resolve(file)), { recursive: true });
    return { ...common, type: "better-sqlite3", database: file, enableWAL: file !== ":memory:", timeout: 5000 };
  }
  const url = new URL(databaseUrl);
  return {
    ...common,
    // TypeORM reads MariaDB's information_schema differently (defaults, JSON), so it must know which one it talks to.
    type: url.protocol === "mariadb:" ? "mariadb" : "mysql",
    host: url.hostname,
    port: Number(url.port || 3306),
    username: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, ""),
    charset: "utf8mb4_unicode_ci",
    // Dates travel as UTC; the schema stores no time zone.
    timezone: "Z",
    poolSize: 20,
  };
}

/** Creates (does not initialize) the one DataSource of a process. */
export function createDataSource(databaseUrl: string): DataSource {
  return new DataSource(dataSourceOptions(databaseUrl));
}
