import type { DataSource, EntityManager } from "typeorm";

/**
 * The way services reach the data. On MySQL transactions run side by side and correctness comes from
 * guarded updates; on SQLite the one connection cannot nest transactions, so every unit of work —
 * reads included — goes through one queue.
 */
export class Database {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(readonly dataSource: DataSource) {}

  get isSqlite(): boolean {
    return this.dataSource.options.type === "better-sqlite3";
  }

  /** Runs fn in one transaction; every write goes through here. */
  tx<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (!this.isSqlite) return this.dataSource.transaction(fn);
    return this.enqueue(() => this.dataSource.transaction(fn));
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
