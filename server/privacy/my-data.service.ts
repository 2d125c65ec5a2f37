import type { EntityManager } from "typeorm";
import { Asset } from "../assets/assets.entity.js";
import { Booking } from "../bookings/bookings.entity.js";
import { Complaint } from "../complaints/complaints.entity.js";
import { Coupon, CouponTemplate } from "../coupons/coupons.entity.js";
import { staffSignature } from "../complaints/events.js";
import { getMember, toMemberView } from "../members/members.service.js";
import { OutboxMessage } from "../notify/notify.entity.js";
import { PointsLedger } from "../points/points.entity.js";
import { ServiceRecord } from "../service-records/service-records.entity.js";
import { Store } from "../stores/stores.entity.js";
import { MemberAccessLog } from "./access-log.entity.js";

/** 查阅记录 as the member reads it: when, which store, why — the staff member by work number, never by name. */
export async function myAccessLog(m: EntityManager, memberId: number, page: number, pageSize: number) {
  const [rows, total] = await m.findAndCount(MemberAccessLog, { where: { memberId }, order: { id: "DESC" }, skip: (page - 1) * pageSize, take: pageSize });
  const stores = new Map((await m.find(Store, { select: { id: true, name: true } })).map((s) => [s.id, s.name]));
  const items = rows.map((r) => ({ id: r.id, at: r.createdAt.toISOString(), storeName: stores.get(r.storeId) ?? "门店", staff: staffSignature(r.staffId).replace("客服", "工作人员"), reason: r.reason }));
  return { items, total, page, pageSize };
}

const iso = (d: Date | null) => d?.toISOString() ?? null;

/**
 * Everything the platform holds about the member (个人信息副本), as one JSON document: profile, cars,
 * points history, coupons, bookings, service records, complaints with their member-visible thread,
 * the messages sent and who read the archive. Staff notes and other people's data are left out.
 */
export async function exportMyData(m: EntityManager, memberId: number, now: Date) {
  const member = await getMember(m, memberId);
  const [assets, ledger, coupons, bookings, records, complaints, messages, access] = await Promise.all([
    m.find(Asset, { where: { memberId }, order: { id: "ASC" } }),
    m.find(PointsLedger, { where: { memberId }, order: { id: "ASC" } }),
    m.createQueryBuilder(Coupon, "c").innerJoin(CouponTemplate, "t", "t.id = c.templateId").select(["c.code AS code", "t.name AS name", "c.status AS status", "c.validFrom AS validFrom", "c.validTo AS validTo", "c.usedAt AS usedAt"]).where("c.memberId = :memberId", { memberId }).orderBy("c.id", "ASC").getRawMany(),
    m.find(Booking, { where: { memberId }, order: { id: "ASC" } }),
    m.find(ServiceRecord, { where: { memberId }, order: { id: "ASC" } }),
    m.find(Complaint, { where: { memberId }, order: { id: "ASC" } }),
    m.find(OutboxMessage, { where: { memberId, status: "sent" }, order: { id: "ASC" }, select: { id: true, kind: true, channel: true, sentAt: true } }),
    myAccessLog(m, memberId, 1, 1000),
  ]);
  return {
    exportedAt: now.toISOString(),
    profile: { ...toMemberView(member), pointsBalance: member.pointsBalance, tierCode: member.tierCode },
    cars: assets.map((a) => ({ plate: a.plate, model: a.model, mileage: a.mileage, removedAt: iso(a.removedAt) })),
    pointsLedger: ledger.map((l) => ({ at: l.createdAt.toISOString(), delta: l.delta, balanceAfter: l.balanceAfter, reason: l.reasonText })),
    coupons: coupons.map((c) => ({ ...c, validFrom: c.validFrom ? new Date(c.validFrom).toISOString() : null, validTo: c.validTo ? new Date(c.validTo).toISOString() : null, usedAt: c.usedAt ? new Date(c.usedAt).toISOString() : null })),
    bookings: bookings.map((b) => ({ bookingNo: b.bookingNo, start: b.start.toISOString(), status: b.status, note: b.note })),
    serviceRecords: records.map((r) => ({ completedAt: r.completedAt.toISOString(), items: r.items, mileage: r.mileage, amountFen: r.amountFen, pointsEarned: r.pointsEarned, rating: r.rating })),
    complaints: complaints.map((c) => ({ number: c.number, receivedAt: c.receivedAt.toISOString(), content: c.content, status: c.status, resolution: c.resolutionReply })),
    messages: messages.map((x) => ({ kind: x.kind, channel: x.channel, sentAt: iso(x.sentAt) })),
    accessLog: access.items,
  };
}
