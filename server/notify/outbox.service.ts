import type { EntityManager } from "typeorm";
import { insertIgnore, sqlDate } from "../db/sql.js";
import { renderText, TEMPLATES, type MessageKind, type Vars } from "./templates.js";

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
  if ((message.memberId === undefined) === (message.staffId === undefined)) throw new Error("a message goes to exactly one member or staff member");
  renderText(message.kind, message.vars); // a template variable missing is a bug: fail the business change, not the send
  return insertIgnore(m, "outbox_message", {
    kind: message.kind,
    messageClass: TEMPLATES[message.kind].messageClass,
    memberId: message.memberId ?? null,
    staffId: message.staffId ?? null,
    storeId: message.storeId,
    payload: JSON.stringify(message.vars),
    dedupeKey: message.dedupeKey,
    status: "queued",
    attempts: 0,
    nextAttemptAt: message.notBefore ?? now,
    refusedChannels: "",
    createdAt: now,
  });
}

/** Queues many messages with one INSERT IGNORE (the scans' batches); returns how many were new. */
export async function enqueueMany(m: EntityManager, messages: NewMessage[], now = new Date()): Promise<number> {
  if (messages.length === 0) return 0;
  const sqlite = m.connection.options.type === "better-sqlite3";
  const at = (d: Date) => sqlDate(m, d);
  const values: unknown[] = [];
  for (const message of messages) {
    renderText(message.kind, message.vars);
    values.push(message.kind, TEMPLATES[message.kind].messageClass, message.memberId ?? null, message.staffId ?? null, message.storeId, JSON.stringify(message.vars), message.dedupeKey, "queued", 0, at(message.notBefore ?? now), "", at(now));
  }
  const row = `(${Array(12).fill("?").join(", ")})`;
  const sql = `${sqlite ? "INSERT OR IGNORE" : "INSERT IGNORE"} INTO outbox_message (kind, messageClass, memberId, staffId, storeId, payload, dedupeKey, status, attempts, nextAttemptAt, refusedChannels, createdAt) VALUES ${messages.map(() => row).join(", ")}`;
  if (!m.queryRunner) throw new Error("enqueueMany runs inside a transaction");
  return (await m.queryRunner.query(sql, values, true)).affected ?? 0;
}
