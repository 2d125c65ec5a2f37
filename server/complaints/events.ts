import type { EntityManager } from "typeorm";
import { execute, insertRow, sqlDate } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import type { ComplaintStatus } from "./categories.js";

export interface Actor {
  type: "member" | "staff" | "system";
  id: number | null;
}
export const SYSTEM: Actor = { type: "system", id: null };

/** Appends one line of the complaint's audit trail in the caller's transaction. */
export async function recordEvent(m: EntityManager, complaintId: number, type: string, actor: Actor, now: Date, change: { from?: ComplaintStatus | null; to?: ComplaintStatus | null; detail?: object } = {}): Promise<void> {
  await insertRow(m, "complaint_event", {
    complaintId, type, fromStatus: change.from ?? null, toStatus: change.to ?? null, actorType: actor.type, actorId: actor.id,
    detail: JSON.stringify(change.detail ?? {}).slice(0, 1000), createdAt: now,
  });
}

/**
 * Compare-and-set of a complaint's status (and other columns) from one of `from`; the change and its
 * audit line commit together. A complaint that is no longer in one of those statuses (a parallel
 * request won) is COMPLAINT_STATUS_CONFLICT and nothing changes.
 */
export async function transition(
  m: EntityManager,
  id: number,
  from: readonly ComplaintStatus[],
  to: ComplaintStatus,
  set: Record<string, unknown>,
  event: { type: string; actor: Actor; now: Date; detail?: object; fromStatus: ComplaintStatus; guard?: { sql: string; params: unknown[] } },
): Promise<void> {
  const columns = { ...set, status: to, updatedAt: event.now };
  const assignments = Object.keys(columns).map((c) => `${c} = ?`).join(", ");
  const values = Object.values(columns).map((v) => (v instanceof Date ? sqlDate(m, v) : v));
  const guard = event.guard ? ` AND ${event.guard.sql}` : "";
  const changed = await execute(m, `UPDATE complaint SET ${assignments} WHERE id = ? AND status IN (${from.map(() => "?").join(", ")})${guard}`, [
    ...values, id, ...from, ...(event.guard?.params ?? []),
  ]);
  if (changed !== 1) throw new AppError("COMPLAINT_STATUS_CONFLICT", "投诉状态已变化，请刷新后再试", { expected: from });
  await recordEvent(m, id, event.type, event.actor, event.now, { from: event.fromStatus, to, detail: event.detail });
}

/** 客服 0007: how a member sees a staff member (never the name). */
export const staffSignature = (staffId: number) => `客服 ${String(staffId).padStart(4, "0")}`;
