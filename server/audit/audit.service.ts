import type { EntityManager } from "typeorm";
import { AuditLog } from "./audit.entity.js";

export interface AuditEntry {
  actorType: AuditLog["actorType"];
  actorId: number | null;
  action: string;
  targetType: string;
  targetId: number;
  detail?: Record<string, unknown>;
}

/** Appends one audit row inside the caller's transaction. */
export async function recordAudit(m: EntityManager, entry: AuditEntry): Promise<void> {
  await m.insert(AuditLog, { ...entry, detail: JSON.stringify(entry.detail ?? {}), createdAt: new Date() });
}
