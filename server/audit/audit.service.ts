import type { EntityManager } from "typeorm";
import { StaffAccount } from "../staff/staff.entity.js";
import type { AuditQuery } from "./audit.routes.js";
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

/** Audit entries, newest first, filtered; staff actors named. */
export async function listAuditLogs(m: EntityManager, query: AuditQuery) {
  const qb = m.createQueryBuilder(AuditLog, "a");
  if (query.action) qb.andWhere("a.action = :action", { action: query.action });
  if (query.targetType) qb.andWhere("a.targetType = :targetType", { targetType: query.targetType });
  if (query.actorId) qb.andWhere("a.actorType = 'staff' AND a.actorId = :actorId", { actorId: query.actorId });
  if (query.from) qb.andWhere("a.createdAt >= :from", { from: new Date(query.from) });
  if (query.to) qb.andWhere("a.createdAt < :to", { to: new Date(query.to) });
  const [rows, total] = await qb.orderBy("a.id", "DESC").skip((query.page - 1) * query.pageSize).take(query.pageSize).getManyAndCount();
  const staffIds = [...new Set(rows.filter((r) => r.actorType === "staff" && r.actorId !== null).map((r) => r.actorId!))];
  const names = new Map((staffIds.length ? await m.createQueryBuilder(StaffAccount, "s").select(["s.id", "s.name"]).where("s.id IN (:...ids)", { ids: staffIds }).getMany() : []).map((s) => [s.id, s.name]));
  const items = rows.map((r) => ({
    id: r.id, at: r.createdAt.toISOString(), actorType: r.actorType, actorId: r.actorId, actorName: r.actorType === "staff" && r.actorId !== null ? (names.get(r.actorId) ?? null) : null,
    action: r.action, targetType: r.targetType, targetId: r.targetId, detail: JSON.parse(r.detail) as Record<string, unknown>,
  }));
  return { items, total, page: query.page, pageSize: query.pageSize };
}
