import type { EntityManager } from "typeorm";
import { Asset, AssetArchive } from "../assets/assets.entity.js";
import { toAssetView } from "../assets/assets.service.js";
import { normalizePlate } from "../assets/plate.js";
import { listMyBookings } from "../bookings/bookings.service.js";
import { listMyCoupons } from "../coupons/coupons.service.js";
import { whereStaffMaySee } from "../complaints/access.js";
import { CATEGORIES, SEVERITIES, STATUSES, type Category } from "../complaints/categories.js";
import { Complaint } from "../complaints/complaints.entity.js";
import { slaOf } from "../complaints/views.js";
import { assertStoreScope } from "../http/auth.js";
import type { StaffPrincipal } from "../http/context.js";
import { Member } from "../members/members.entity.js";
import { getMember, setPhone } from "../members/members.service.js";
import { MemberAccessLog } from "../privacy/access-log.entity.js";
import { listLedger } from "../points/points.service.js";
import { phoneForRole } from "../privacy/mask.js";
import { ServiceRecord } from "../service-records/service-records.entity.js";
import { toRecordView } from "../service-records/service-records.service.js";
import type { SearchMembersQuery } from "./archive.schema.js";

/** How many of each recent thing the archive shows. */
const RECENT = 10;

function toMemberSummary(member: Member, staff: StaffPrincipal) {
  return {
    id: member.id,
    nickname: member.nickname,
    phone: phoneForRole(member.phone, staff.role),
    memberCode: member.memberCode,
    storeId: member.storeId,
    assetCount: member.assetCount,
  };
}

/** Finds members by phone, member code or plate, within the staff member's store; phones masked by role. */
export async function searchMembers(m: EntityManager, staff: StaffPrincipal, query: SearchMembersQuery) {
  const qb = m.createQueryBuilder(Member, "member");
  if (staff.storeId !== null) qb.andWhere("member.storeId = :storeId", { storeId: staff.storeId });
  if (query.phone) qb.andWhere("member.phone = :phone", { phone: query.phone });
  if (query.memberCode) qb.andWhere("member.memberCode = :code", { code: query.memberCode.toUpperCase() });
  if (query.plate) {
    qb.andWhere("member.id IN " + qb.subQuery().select("asset.memberId").from(Asset, "asset").where("asset.activePlate = :plate").getQuery(), {
      plate: normalizePlate(query.plate),
    });
  }
  const [rows, total] = await qb
    .orderBy("member.id", "DESC")
    .skip((query.page - 1) * query.pageSize)
    .take(query.pageSize)
    .getManyAndCount();
  return { total, page: query.page, pageSize: query.pageSize, items: rows.map((r) => toMemberSummary(r, staff)) };
}

/** The member's complaints the viewer may see (the staff complaint list's own rule), newest first, and how many there are. */
async function complaintsOf(m: EntityManager, staff: StaffPrincipal, memberId: number, now: Date) {
  const [rows, total] = await whereStaffMaySee(m.createQueryBuilder(Complaint, "c"), staff)
    .andWhere("c.memberId = :memberId", { memberId })
    .orderBy("c.receivedAt", "DESC")
    .addOrderBy("c.id", "DESC")
    .take(RECENT)
    .getManyAndCount();
  const items = rows.map((c) => {
    const sla = slaOf(c, now);
    return {
      id: c.id, number: c.number, category: c.category, categoryName: CATEGORIES[c.category as Category]?.name ?? c.category,
      status: c.status, statusName: STATUSES[c.status], severity: c.severity, severityName: SEVERITIES[c.severity],
      slaState: sla.state, slaStateName: sla.stateName, createdAt: c.receivedAt.toISOString(),
    };
  });
  return { total, items };
}

/** A member's full archive (profile, assets, service records, recent points, coupons, bookings, complaints); every read is logged with its reason (查阅登记). */
export async function readMemberArchive(m: EntityManager, staff: StaffPrincipal, memberId: number, reason: string, now: Date) {
  const member = await getMember(m, memberId);
  assertStoreScope(staff, member.storeId);
  await m.insert(MemberAccessLog, { staffId: staff.id, memberId, storeId: member.storeId, reason, createdAt: new Date() });
  const assets = await m.find(Asset, { where: { memberId }, order: { id: "ASC" } });
  const archives = assets.length ? await m.find(AssetArchive, { where: assets.map((a) => ({ assetId: a.id })) }) : [];
  const [records, ledger, coupons, bookings, complaints] = await Promise.all([
    m.find(ServiceRecord, { where: { memberId }, order: { completedAt: "DESC" }, take: RECENT }),
    listLedger(m, memberId, 1, RECENT),
    listMyCoupons(m, memberId, { status: "available", page: 1, pageSize: RECENT }),
    listMyBookings(m, memberId, { scope: "all", page: 1, pageSize: RECENT }),
    complaintsOf(m, staff, memberId, now),
  ]);
  return {
    ...toMemberSummary(member, staff),
    birthday: member.birthday,
    gender: member.gender,
    createdAt: member.createdAt.toISOString(),
    pointsBalance: member.pointsBalance,
    tierCode: member.tierCode,
    bookingSuspendedUntil: member.bookingSuspendedUntil?.toISOString() ?? null,
    assets: assets.map((a) => ({
      ...toAssetView(a, archives.find((x) => x.assetId === a.id) ?? null),
      removedAt: a.removedAt?.toISOString() ?? null,
    })),
    serviceRecords: records.map(toRecordView),
    recentPoints: ledger.items,
    availableCoupons: coupons.items,
    recentBookings: bookings.items,
    complaints,
  };
}

/** Staff change a member's phone after checking identity in person; the note is audited. */
export async function changePhoneByStaff(m: EntityManager, staff: StaffPrincipal, memberId: number, phone: string, identityNote: string) {
  const member = await getMember(m, memberId);
  assertStoreScope(staff, member.storeId);
  const updated = await setPhone(m, memberId, phone, { actorType: "staff", actorId: staff.id, identityNote });
  return toMemberSummary(updated, staff);
}
