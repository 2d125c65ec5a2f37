import { createHash } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { Database } from "../db/database.js";
import { uniqueViolationOf } from "../db/errors.js";
import { AppError } from "../http/app-error.js";
import { IdempotencyRecord } from "./idempotency.entity.js";

export interface IdempotencyScope {
  /** the operation, e.g. coupon.claim */
  scope: string;
  /** whose key it is, e.g. member:12 */
  actor: string;
  /** the Idempotency-Key header; without one the work simply runs */
  key: string | undefined;
  /** what was asked: a key reused for a different request is refused */
  request: unknown;
}

const hashOf = (request: unknown) => createHash("sha256").update(JSON.stringify(request ?? null)).digest("hex");

function replay<T>(record: IdempotencyRecord, requestHash: string): T {
  if (record.requestHash !== requestHash) throw new AppError("IDEMPOTENCY_KEY_REUSED", "该幂等键已用于另一个请求，请更换 Idempotency-Key");
  return JSON.parse(record.responseBody) as T;
}

/** The first result stored under the key (a retry's answer), or undefined when the key is new or absent. */
export async function storedResult<T>(db: Database, id: IdempotencyScope): Promise<T | undefined> {
  if (!id.key) return undefined;
  const stored = await db.read((m) => m.findOneBy(IdempotencyRecord, { scope: id.scope, actor: id.actor, idemKey: id.key }));
  return stored ? replay<T>(stored, hashOf(id.request)) : undefined;
}

/**
 * Runs `work` in one transaction at most once per key: the key is claimed by a unique row in the same
 * transaction, so a retry (or a parallel twin, which waits on that row) gets the first result back.
 * Failures are not stored: a retry after an error runs again.
 */
export async function runIdempotent<T>(db: Database, id: IdempotencyScope, work: (m: EntityManager) => Promise<T>): Promise<T> {
  if (!id.key) return db.tx(work);
  const where = { scope: id.scope, actor: id.actor, idemKey: id.key };
  const requestHash = hashOf(id.request);
  const stored = await storedResult<T>(db, id);
  if (stored !== undefined) return stored;
  try {
    return await db.tx(async (m) => {
      await m.insert(IdempotencyRecord, { ...where, requestHash, responseStatus: 0, responseBody: "null", createdAt: new Date() });
      const result = await work(m);
      await m.update(IdempotencyRecord, where, { responseStatus: 200, responseBody: JSON.stringify(result) });
      return result;
    });
  } catch (err) {
    if (uniqueViolationOf(err) === null) throw err;
    const winner = await db.read((m) => m.findOneBy(IdempotencyRecord, where));
    if (!winner) throw err;
    return replay<T>(winner, requestHash);
  }
}

export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_:.-]{8,100}$/;

/** The Idempotency-Key header, checked; undefined when absent. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined || header === "") return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(header)) {
    throw new AppError("VALIDATION_FAILED", "Idempotency-Key 格式不正确（8-100 位字母、数字或 _:.-）", [{ in: "header", field: "Idempotency-Key", rule: "pattern", message: "格式不正确" }]);
  }
  return header;
}
