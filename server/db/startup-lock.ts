import { hostname } from "node:os";
import type { DataSource } from "typeorm";
import { isConflict } from "./errors.js";

const LOCK_TTL_MS = 60_000;
const WAIT_MS = 10 * 60_000;

/** This process, as the owner of a lock row. */
export const INSTANCE_ID = `${hostname()}:${process.pid}`;

// Created outside the migrations because it guards them: it must exist before the first one runs.
const CREATE = {
  sqlite: "CREATE TABLE IF NOT EXISTS app_lock (name varchar(64) PRIMARY KEY NOT NULL, owner varchar(128) NOT NULL, expiresAt bigint NOT NULL)",
  mysql: "CREATE TABLE IF NOT EXISTS app_lock (name varchar(64) NOT NULL PRIMARY KEY, owner varchar(128) NOT NULL, expiresAt bigint NOT NULL) ENGINE=InnoDB",
};

/** Creates the lock table when it is missing (idempotent, safe from several instances at once). */
export async function ensureLockTable(dataSource: DataSource): Promise<void> {
  await dataSource.query(dataSource.options.type === "better-sqlite3" ? CREATE.sqlite : CREATE.mysql);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function run(dataSource: DataSource, sql: string, params: unknown[]): Promise<number> {
  const runner = dataSource.createQueryRunner();
  try {
    return (await runner.query(sql, params, true)).affected ?? 0;
  } finally {
    await runner.release();
  }
}

/**
 * Takes the named lock row if it is free or its holder's lease ran out: a guarded insert, then a
 * guarded update, each one statement, so it holds across instances and across the nodes of a Galera
 * cluster (where GET_LOCK is per node); a lost certification race simply means "not yet".
 */
async function tryTake(dataSource: DataSource, name: string, ttlMs: number): Promise<boolean> {
  const now = Date.now();
  const insert = dataSource.options.type === "better-sqlite3" ? "INSERT OR IGNORE" : "INSERT IGNORE";
  try {
    if ((await run(dataSource, `${insert} INTO app_lock (name, owner, expiresAt) VALUES (?, ?, ?)`, [name, INSTANCE_ID, now + ttlMs])) === 1) return true;
    return (await run(dataSource, "UPDATE app_lock SET owner = ?, expiresAt = ? WHERE name = ? AND expiresAt < ?", [INSTANCE_ID, now + ttlMs, name, now])) === 1;
  } catch (err) {
    if (isConflict(err)) return false;
    throw err;
  }
}

/**
 * Runs work while holding the named lock, so that instances started together do it one after another
 * (migrations and seeding: the second finds the work done). The lease is renewed while work runs and
 * runs out by itself if the holder dies.
 */
export async function withStartupLock<T>(dataSource: DataSource, name: string, work: () => Promise<T>): Promise<T> {
  await ensureLockTable(dataSource);
  const deadline = Date.now() + WAIT_MS;
  while (!(await tryTake(dataSource, name, LOCK_TTL_MS))) {
    if (Date.now() > deadline) throw new Error(`could not take the "${name}" lock within ${WAIT_MS / 1000} s`);
    await sleep(200 + Math.random() * 300);
  }
  const renew = setInterval(() => {
    run(dataSource, "UPDATE app_lock SET expiresAt = ? WHERE name = ? AND owner = ?", [Date.now() + LOCK_TTL_MS, name, INSTANCE_ID]).catch(() => undefined);
  }, LOCK_TTL_MS / 4);
  try {
    return await work();
  } finally {
    clearInterval(renew);
    await run(dataSource, "UPDATE app_lock SET expiresAt = 0 WHERE name = ? AND owner = ?", [name, INSTANCE_ID]).catch(() => undefined);
  }
}
