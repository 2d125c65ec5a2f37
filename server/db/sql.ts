import type { EntityManager } from "typeorm";

// Plain SQL for the hot paths, where the query builder's work would run while a row lock is held.
// Every statement here must be portable between MariaDB/MySQL and SQLite.

function runnerOf(m: EntityManager) {
  if (!m.queryRunner) throw new Error("plain SQL writes run inside a transaction");
  return m.queryRunner;
}

const isSqlite = (m: EntityManager) => m.connection.options.type === "better-sqlite3";

/** A Date as a raw query parameter: mysql2 sends it in the pool's time zone (UTC); SQLite keeps TypeORM's UTC text. */
export function sqlDate(m: EntityManager, d: Date): Date | string {
  return isSqlite(m) ? d.toISOString().replace("T", " ").replace("Z", "") : d;
}

/** A DATETIME as the drivers return it from a raw query: a Date (mysql2) or UTC text (SQLite). */
export function fromSqlDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value.replace(" ", "T") + "Z");
}

/** True when INSERT … RETURNING is understood (MariaDB, SQLite; not MySQL). */
export function hasInsertReturning(m: EntityManager): boolean {
  return m.connection.options.type === "mariadb" || isSqlite(m);
}

/** Runs one guarded UPDATE/DELETE in the manager's transaction; returns the rows it changed (0 when its guard did not match). */
export async function execute(m: EntityManager, sql: string, params: unknown[]): Promise<number> {
  return (await runnerOf(m).query(sql, params, true)).affected ?? 0;
}

/** Inserts one row (column names are code, never input) in the manager's transaction; returns its id. */
export async function insertRow(m: EntityManager, table: string, row: object): Promise<number> {
  const columns = Object.keys(row);
  const values = Object.values(row).map((v: unknown) => (v instanceof Date ? sqlDate(m, v) : v));
  const result = await runnerOf(m).query(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`, values, true);
  // mysql2 answers a ResultSetHeader, better-sqlite3 the last row id
  return Number(isSqlite(m) ? result.raw : (result.raw as { insertId: number }).insertId);
}

/** INSERT IGNORE / INSERT OR IGNORE of one row in the manager's transaction; true when the row went in (false: a unique key already had it). */
export async function insertIgnore(m: EntityManager, table: string, row: object): Promise<boolean> {
  const columns = Object.keys(row);
  const values = Object.values(row).map((v: unknown) => (v instanceof Date ? sqlDate(m, v) : v));
  const verb = isSqlite(m) ? "INSERT OR IGNORE" : "INSERT IGNORE";
  const result = await runnerOf(m).query(`${verb} INTO ${table} (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`, values, true);
  return (result.affected ?? 0) > 0;
}

/**
 * A guarded counter change on a row that may not exist yet: the UPDATE first (it takes the row's
 * exclusive lock at once; INSERT IGNORE first would take a shared lock and deadlock with its twins
 * when it then updates), then the INSERT of the row as the update would leave it, then the UPDATE
 * again when a parallel twin inserted it first. True when the change was made.
 */
export async function updateElseInsert(m: EntityManager, update: string, params: unknown[], table: string, inserted: object): Promise<boolean> {
  if ((await execute(m, update, params)) === 1) return true;
  if (await insertIgnore(m, table, inserted)) return true;
  return (await execute(m, update, params)) === 1;
}
