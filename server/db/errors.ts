import { QueryFailedError } from "typeorm";

/** The name of the unique index a failed insert or update ran into, or null when it was another error. */
export function uniqueViolationOf(err: unknown): string | null {
  if (!(err instanceof QueryFailedError)) return null;
  const driverError = err.driverError as { code?: string; message?: string; sqlMessage?: string };
  if (driverError.code === "ER_DUP_ENTRY") return /for key '(?:[\w]+\.)?(\w+)'/.exec(driverError.sqlMessage ?? "")?.[1] ?? "";
  if (driverError.code === "SQLITE_CONSTRAINT_UNIQUE" || driverError.code === "SQLITE_CONSTRAINT_PRIMARYKEY") return driverError.message ?? "";
  return null;
}

/** Rows changed by an UPDATE/DELETE on either driver (0 when the guard did not match). */
export function affectedOf(result: { affected?: number | null }): number {
  return result.affected ?? 0;
}

/**
 * Runs `run`, and once more when it lost a race on a unique index: the second run finds what the
 * winner committed and answers with that (a repeated order, a first login, a used reference).
 */
export async function retryAfterUniqueRace<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (uniqueViolationOf(err) === null) throw err;
    return run();
  }
}

interface DriverError {
  code?: string;
  errno?: number;
  message?: string;
}

function driverErrorOf(err: unknown): DriverError | null {
  if (err instanceof QueryFailedError) return err.driverError as DriverError;
  if (err && typeof err === "object" && ("code" in err || "errno" in err)) return err as DriverError;
  return null;
}

// Connection-level failures of mysql2 and Node's sockets: the server is down, unreachable or went away.
const CONNECTION_CODES = new Set([
  "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN",
  "PROTOCOL_CONNECTION_LOST", "PROTOCOL_SEQUENCE_TIMEOUT", "ER_CON_COUNT_ERROR", "ER_SERVER_SHUTDOWN",
  "ER_ACCESS_DENIED_ERROR", "ER_BAD_DB_ERROR", "POOL_ACQUIRE_TIMEOUT",
]);
// 1047: a Galera node that is not synced ("WSREP has not yet prepared node for application use");
// 2006/2013: server gone away / lost during query; 1927: connection killed by a shutdown.
const UNAVAILABLE_ERRNOS = new Set([1047, 1053, 1927, 2002, 2003, 2006, 2013]);
const UNAVAILABLE_ERRORS = new Set(["ConnectionIsNotSetError", "CannotExecuteNotConnectedError", "QueryRunnerAlreadyReleasedError"]);
const UNAVAILABLE_MESSAGES = /Pool is closed|Connection is not established|database connection is not open|Can't add new command when connection is in closed state|connection is in closed state|Connection lost/i;

/** The database cannot be reached or is not ready to serve (down, restarting, a Galera node rejoining). */
export function isUnavailable(err: unknown): boolean {
  const e = driverErrorOf(err);
  if (e && ((e.code && CONNECTION_CODES.has(e.code)) || (e.errno !== undefined && UNAVAILABLE_ERRNOS.has(e.errno)))) return true;
  if (err instanceof Error && UNAVAILABLE_ERRORS.has(err.name)) return true;
  const message = e?.message ?? (err instanceof Error ? err.message : "");
  return UNAVAILABLE_MESSAGES.test(message);
}

/**
 * The transaction lost a conflict and was rolled back, so running it again is safe: InnoDB's deadlock
 * victim and lock wait timeout, which is also how a Galera certification failure surfaces (1213), and
 * SQLite's busy file when another process holds the write lock.
 */
export function isConflict(err: unknown): boolean {
  const e = driverErrorOf(err);
  if (!e) return false;
  return e.code === "ER_LOCK_DEADLOCK" || e.code === "ER_LOCK_WAIT_TIMEOUT" || e.errno === 1213 || e.errno === 1205 || e.code === "SQLITE_BUSY" || e.code === "SQLITE_BUSY_SNAPSHOT";
}
