import type { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity.js";
import { QueryFailedError } from "typeorm";

const DEADLOCK_RETRIES = 3;

/** MySQL's "deadlock found" and "lock wait timeout": the transaction was rolled back and may simply run again. */
function isRetryable(err: unknown): boolean {
  if (!(err instanceof QueryFailedError)) return false;
  const code = (err.driverError as { code?: string }).code;
  return code === "ER_LOCK_DEADLOCK" || code === "ER_LOCK_WAIT_TIMEOUT";
}

/**
 * The way services reach the data. On MySQL transactions run side by side at READ COMMITTED, so a
 * statement always sees what others committed, and correctness comes from guarded updates; a deadlock
 * victim is retried. On SQLite the one connection cannot nest transactions, so every unit of work —
 * reads included — goes through one queue.
 */
export class Database {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  get isSqlite(): boolean {
    return this.dataSource.options.type === "better-sqlite3";
  }

  /** Runs fn in one transaction; every write goes through here. fn may run again after a deadlock. */
  async tx<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.isSqlite) return this.enqueue(() => this.dataSource.transaction(fn));
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction("READ COMMITTED", fn);
      } catch (err) {
        if (!isRetryable(err) || attempt > DEADLOCK_RETRIES) throw err;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  /** Runs read-only work outside a transaction. */
  read<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return fn(this.dataSource.manager);
    return this.enqueue(() => fn(this.dataSource.manager));
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const run = this.tail.then(work, work);
    this.tail = run.catch(() => undefined);
    return run;
  }
}

/**
 * Makes sure a counter row exists, in its own short transaction. Hot paths then only run a guarded
 * UPDATE on it: an INSERT IGNORE inside the same transaction would take a shared lock first, and two
 * such transactions upgrading to exclusive locks deadlock on MySQL.
 */
export async function ensureRow<T extends ObjectLiteral>(db: Database, entity: EntityTarget<T>, where: FindOptionsWhere<T>, values: QueryDeepPartialEntity<T>): Promise<void> {
  if (await db.read((m) => m.existsBy(entity, where))) return;
  await db.tx((m) => m.createQueryBuilder().insert().into(entity).values(values).orIgnore().execute());
}
