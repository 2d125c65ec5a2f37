import type { Logger } from "pino";
import type { DataSource, EntityManager, EntityTarget, FindOptionsWhere, ObjectLiteral, QueryRunner } from "typeorm";
import type { QueryDeepPartialEntity } from "typeorm/query-builder/QueryPartialEntity.js";
import type { DatabaseTuning } from "../config.js";
import { AppError } from "../http/app-error.js";
import { inMemberScope } from "./causal-scope.js";
import { isConflict, isUnavailable } from "./errors.js";

const DEFAULTS: DatabaseTuning = { causalReads: "member", retryAttempts: 10, retryBudgetMs: 5000, acquireTimeoutMs: 5000 };
const BACKOFF_BASE_MS = 10;
const BACKOFF_CAP_MS = 400;

/** What each pooled MySQL connection's session is set to (see prepareSession). */
const sessions = new WeakMap<object, { syncWait: 0 | 1 | null }>();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Full jitter: a random wait up to min(cap, base · 2^attempt), so colliding retries spread out. */
const backoffMs = (attempt: number) => Math.random() * Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);

export interface DatabaseOptions extends Partial<DatabaseTuning> {
  logger?: Pick<Logger, "error" | "info">;
}

/**
 * The way services reach the data. On MySQL transactions run side by side at READ COMMITTED, so a
 * statement always sees what others committed, and correctness comes from guarded updates; a
 * transaction that loses a conflict runs again within a bounded budget (a Galera cluster reports its
 * certification failures as deadlocks), then the request answers 503 BUSY. A database that cannot be
 * reached answers 503 DB_UNAVAILABLE, logged once per outage. On a Galera node, the reads of a
 * member's request wait for the node to catch up (read-your-writes across instances). On SQLite the
 * one connection cannot nest transactions, so every unit of work — reads included — goes through one queue.
 */
export class Database {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly tuning: DatabaseTuning;
  logger: DatabaseOptions["logger"];
  private outageSince: number | null = null;
  /** undefined until the server has been asked whether it is a Galera node */
  private galera: boolean | undefined;

  constructor(
    readonly dataSource: DataSource,
    options: DatabaseOptions = {},
  ) {
    const { logger, ...tuning } = options;
    this.tuning = { ...DEFAULTS, ...tuning };
    this.logger = logger;
  }

  get isSqlite(): boolean {
    return this.dataSource.options.type === "better-sqlite3";
  }

  /** Runs fn in one transaction; every write goes through here. fn may run again after a lost conflict. */
  async tx<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.isSqlite) return this.enqueue(() => this.guard(() => this.dataSource.transaction(fn)));
    const started = Date.now();
    for (let attempt = 1; ; attempt++) {
      try {
        return this.succeeded(await this.runTransaction(fn));
      } catch (err) {
        if (isUnavailable(err)) throw this.unavailable(err);
        if (!isConflict(err)) throw err;
        const wait = backoffMs(attempt);
        if (attempt >= this.tuning.retryAttempts || Date.now() - started + wait > this.tuning.retryBudgetMs) {
          throw new AppError("BUSY", "系统繁忙，请稍后再试", { attempts: attempt });
        }
        await sleep(wait);
      }
    }
  }

  /** Runs read-only work outside a transaction, on one pooled connection taken within acquireTimeoutMs. */
  async read<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.isSqlite) return this.enqueue(() => this.guard(() => fn(this.dataSource.manager)));
    try {
      return this.succeeded(await this.withRunner((runner) => fn(runner.manager)));
    } catch (err) {
      throw isUnavailable(err) ? this.unavailable(err) : err;
    }
  }

  /** True when the server is a Galera node (wsrep_on); asked once, again after a failed ask. */
  async isGalera(): Promise<boolean> {
    if (this.galera === undefined) await this.detectGalera();
    return this.galera === true;
  }

  private async detectGalera(): Promise<void> {
    if (this.isSqlite) {
      this.galera = false;
      return;
    }
    try {
      const [row] = await this.dataSource.query("SELECT @@wsrep_on AS wsrepOn");
      this.galera = Number(row?.wsrepOn) === 1;
    } catch (err) {
      if (isUnavailable(err)) throw err;
      this.galera = false; // MySQL without the variable
    }
  }

  private causal(): boolean {
    if (!this.galera) return false;
    return this.tuning.causalReads === "all" || (this.tuning.causalReads === "member" && inMemberScope());
  }

  /** A pooled connection of its own, taken within acquireTimeoutMs, with causal reads set when they apply. */
  private async withRunner<T>(work: (runner: QueryRunner) => Promise<T>): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await this.connect(runner);
    try {
      if (this.galera === undefined) await this.detectGalera();
      await this.prepareSession(runner, this.causal() ? 1 : 0);
      return await work(runner);
    } finally {
      await runner.release();
    }
  }

  /**
   * Session settings are kept per pooled connection and sent only when they change: READ COMMITTED once
   * per connection (not a SET before every transaction), wsrep_sync_wait only on Galera.
   */
  private async prepareSession(runner: QueryRunner, syncWait: 0 | 1): Promise<void> {
    const connection = (runner as unknown as { databaseConnection: object }).databaseConnection;
    let session = sessions.get(connection);
    if (!session) {
      await runner.query("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
      session = { syncWait: null }; // unknown until set
      sessions.set(connection, session);
    }
    if (this.galera && session.syncWait !== syncWait) {
      await runner.query(`SET SESSION wsrep_sync_wait = ${syncWait}`);
      session.syncWait = syncWait;
    }
  }

  private runTransaction<T>(fn: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.withRunner(async (runner) => {
      await runner.startTransaction();
      try {
        const result = await fn(runner.manager);
        await runner.commitTransaction();
        return result;
      } catch (err) {
        if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
        throw err;
      }
    });
  }

  private async connect(runner: QueryRunner): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const connecting = runner.connect();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(Object.assign(new Error(`no database connection within ${this.tuning.acquireTimeoutMs} ms`), { code: "POOL_ACQUIRE_TIMEOUT" })), this.tuning.acquireTimeoutMs);
    });
    try {
      await Promise.race([connecting, timeout]);
    } catch (err) {
      // the connection may still arrive later: hand it straight back to the pool
      connecting.then(() => runner.release(), () => undefined);
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  private unavailable(err: unknown): AppError {
    if (this.outageSince === null) {
      this.outageSince = Date.now();
      this.logger?.error({ err }, "database unavailable: answering 503 until it is back");
    }
    return new AppError("DB_UNAVAILABLE", "系统繁忙，请稍后再试");
  }

  private succeeded<T>(result: T): T {
    if (this.outageSince !== null) {
      this.logger?.info({ downMs: Date.now() - this.outageSince }, "database available again");
      this.outageSince = null;
    }
    return result;
  }

  /** SQLite: a closed file or a write lock held too long by another process become 503s too. */
  private async guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return this.succeeded(await work());
    } catch (err) {
      if (isUnavailable(err)) throw this.unavailable(err);
      if (isConflict(err)) throw new AppError("BUSY", "系统繁忙，请稍后再试");
      throw err;
    }
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
