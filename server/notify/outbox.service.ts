import type { EntityManager } from "typeorm";
import type { Database } from "../db/database.js";
import { sqlDate } from "../db/sql.js";
import { expiryOf, renderText, TEMPLATES, type MessageKind, type Vars } from "./templates.js";

export interface NewMessage {
  kind: MessageKind;
  /** exactly one of memberId and staffId */
  memberId?: number;
  staffId?: number;
  /** the store whose staff follow up; for a member usually their home store */
  storeId: number | null;
  vars: Vars;
  /** unique per real-world event, e.g. `maint:<asset>:<due date>:d7`: enqueuing the same event twice sends once */
  dedupeKey: string;
  /** not before this instant (e.g. the 18:00 reminder); now unless given */
  notBefore?: Date;
}

/**
 * Queues a message inside the caller's transaction, so it commits with the change that causes it or
 * not at all. Returns false when a message with this dedupe key already exists (nothing is queued).
 */
export async function enqueue(m: EntityManager, message: NewMessage, now = new Date()): Promise<boolean> {
  return (await enqueueMany(m, [message], now)) === 1;
}

/** Queues many messages with one INSERT IGNORE in the caller's transaction (the scans' batches); returns how many were new. */
export async function enqueueMany(m: EntityManager, messages: NewMessage[], now = new Date()): Promise<number> {
  if (messages.length === 0) return 0;
  const sqlite = m.connection.options.type === "better-sqlite3";
  const at = (d: Date) => sqlDate(m, d);
  const values: unknown[] = [];
  for (const message of messages) {
    if ((message.memberId === undefined) === (message.staffId === undefined)) throw new Error("a message goes to exactly one member or staff member");
    renderText(message.kind, message.vars); // a template variable missing is a bug: fail the business change, not the send
    const expiresAt = expiryOf(message.kind, message.vars, now);
    values.push(message.kind, TEMPLATES[message.kind].messageClass, message.memberId ?? null, message.staffId ?? null, message.storeId, JSON.stringify(message.vars), message.dedupeKey, "queued", 0, at(message.notBefore ?? now), "", expiresAt && at(expiresAt), at(now));
  }
  const row = `(${Array(13).fill("?").join(", ")})`;
  const sql = `${sqlite ? "INSERT OR IGNORE" : "INSERT IGNORE"} INTO outbox_message (kind, messageClass, memberId, staffId, storeId, payload, dedupeKey, status, attempts, nextAttemptAt, refusedChannels, expiresAt, createdAt) VALUES ${messages.map(() => row).join(", ")}`;
  if (!m.queryRunner) throw new Error("enqueueMany runs inside a transaction");
  return (await m.queryRunner.query(sql, values, true)).affected ?? 0;
}

/** A scan's messages in transactions of `batch` rows each; returns how many were new. */
export async function enqueueInBatches(db: Database, messages: NewMessage[], now: Date, batch = 1000): Promise<number> {
  let enqueued = 0;
  for (let i = 0; i < messages.length; i += batch) enqueued += await db.tx((m) => enqueueMany(m, messages.slice(i, i + batch), now));
  return enqueued;
}
