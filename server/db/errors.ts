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
