import type { EntityManager } from "typeorm";
import type { AccessLogQuery } from "../archive/archive.schema.js";
import type { StaffPrincipal } from "../http/context.js";
import { Member } from "../members/members.entity.js";
import { StaffAccount } from "../staff/staff.entity.js";
import { MemberAccessLog } from "./access-log.entity.js";

/** The access log (查阅登记) for managers: who read which member's archive, when and why; newest first. */
export async function listAccessLogs(m: EntityManager, staff: StaffPrincipal, query: AccessLogQuery) {
  const qb = m
    .createQueryBuilder(MemberAccessLog, "log")
    .leftJoin(StaffAccount, "staff", "staff.id = log.staffId")
    .leftJoin(Member, "member", "member.id = log.memberId")
    .select(["log.id AS id", "log.staffId AS staffId", "log.memberId AS memberId", "log.storeId AS storeId", "log.reason AS reason", "log.createdAt AS createdAt"])
    .addSelect(["staff.username AS staffUsername", "staff.name AS staffName", "member.nickname AS memberNickname"]);
  if (staff.storeId !== null) qb.andWhere("log.storeId = :storeId", { storeId: staff.storeId });
  if (query.memberId) qb.andWhere("log.memberId = :memberId", { memberId: query.memberId });
  if (query.staffId) qb.andWhere("log.staffId = :staffId", { staffId: query.staffId });
  if (query.from) qb.andWhere("log.createdAt >= :from", { from: new Date(query.from) });
  if (query.to) qb.andWhere("log.createdAt < :to", { to: new Date(query.to) });
  const total = await qb.clone().getCount();
  const rows = await qb
    .orderBy("log.id", "DESC")
    .offset((query.page - 1) * query.pageSize)
    .limit(query.pageSize)
    .getRawMany<Record<string, string | number | Date>>();
  const items = rows.map((r) => ({
    id: Number(r.id),
    staffId: Number(r.staffId),
    staffUsername: r.staffUsername,
    staffName: r.staffName,
    memberId: Number(r.memberId),
    memberNickname: r.memberNickname,
    storeId: Number(r.storeId),
    reason: r.reason,
    createdAt: toIso(r.createdAt),
  }));
  return { total, page: query.page, pageSize: query.pageSize, items };
}

// Raw rows skip entity hydration: MySQL returns a Date, SQLite the stored UTC text.
function toIso(value: string | number | Date): string {
  if (value instanceof Date) return value.toISOString();
  return new Date(`${String(value).replace(" ", "T")}Z`).toISOString();
}
