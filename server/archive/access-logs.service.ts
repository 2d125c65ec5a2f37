import type { EntityManager } from "typeorm";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { Member } from "../members/members.entity.js";
import { MemberAccessLog } from "../privacy/access-log.entity.js";
import { listAccessLogs } from "../privacy/access-log.service.js";
import { StaffAccount } from "../staff/staff.entity.js";
import type { AccessLogQuery } from "./archive.schema.js";

/** The member a filter by code or phone names (as staff intake finds them), or null when the query names none that way. */
async function memberOfFilter(m: EntityManager, query: AccessLogQuery): Promise<number | null> {
  if (query.memberCode) {
    const member = await m.findOne(Member, { where: { memberCode: query.memberCode.toUpperCase() }, select: { id: true } });
    if (!member) throw new AppError("NOT_FOUND", "没有该会员码的会员（会员码可能已更换，可改用手机号）");
    return member.id;
  }
  if (query.memberPhone) {
    const members = await m.find(Member, { where: { phone: query.memberPhone }, select: { id: true }, take: 2 });
    if (members.length === 0) throw new AppError("NOT_FOUND", "没有使用该手机号的会员");
    if (members.length > 1) throw new AppError("MEMBER_AMBIGUOUS", "多个会员使用该手机号，请改用会员码");
    return members[0].id;
  }
  return null;
}

/** The access log (查阅登记) filtered by member id, code or phone; a code or phone that names another member than the id matches nothing. */
export async function listAccessLogsFor(m: EntityManager, staff: StaffPrincipal, query: AccessLogQuery) {
  const found = await memberOfFilter(m, query);
  if (found !== null && query.memberId !== undefined && query.memberId !== found) return { total: 0, page: query.page, pageSize: query.pageSize, items: [] };
  return listAccessLogs(m, staff, { ...query, memberId: found ?? query.memberId });
}

/**
 * Everyone who appears in the access log the viewer may read (their store's, or all stores'), for
 * the 查阅人 filter: disabled accounts and other stores' staff included, since the log is about them.
 */
export async function listAccessLogViewers(m: EntityManager, staff: StaffPrincipal) {
  const qb = m.createQueryBuilder(StaffAccount, "s");
  const readers = qb.subQuery().select("log.staffId").from(MemberAccessLog, "log");
  if (staff.storeId !== null) readers.where("log.storeId = :storeId", { storeId: staff.storeId });
  const rows = await qb.where(`s.id IN ${readers.getQuery()}`).orderBy("s.name", "ASC").addOrderBy("s.id", "ASC").getMany();
  return rows.map((s) => ({ id: s.id, name: s.name, username: s.username, role: s.role, storeId: s.storeId, disabled: s.disabled }));
}
