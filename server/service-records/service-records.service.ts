import { In, IsNull, LessThanOrEqual, type EntityManager } from "typeorm";
import { Asset, AssetArchive } from "../assets/assets.entity.js";
import { assertMileageForward } from "../assets/assets.service.js";
import { moveStatus, staffBooking } from "../bookings/staff-bookings.service.js";
import type { Config } from "../config.js";
import { affectedOf } from "../db/errors.js";
import { AppError, notFound } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { todayInShanghai } from "../http/time.js";
import { Member } from "../members/members.entity.js";
import { creditAction, recordConsumptionFor } from "../points/earning.service.js";
import { phoneForRole } from "../privacy/mask.js";
import { addCalendarDays } from "../stores/calendar.js";
import { ServiceType } from "../stores/stores.entity.js";
import { Tier } from "../tiers/tiers.entity.js";
import { nextDue } from "./due.js";
import { ServiceRecord } from "./service-records.entity.js";
import type { CompleteBody, DueQuery } from "./service-records.schema.js";

export function toRecordView(r: ServiceRecord) {
  return {
    id: r.id,
    bookingId: r.bookingId,
    assetId: r.assetId,
    storeId: r.storeId,
    items: JSON.parse(r.items) as CompleteBody["items"],
    partsFen: r.partsFen,
    labourFen: r.labourFen,
    discountFen: r.discountFen,
    amountFen: r.amountFen,
    mileage: r.mileage,
    technicianId: r.technicianId,
    pointsEarned: r.pointsEarned,
    completedAt: r.completedAt.toISOString(),
    rating: r.rating,
    ratingComment: r.ratingComment,
  };
}

/**
 * Completes a visit in one transaction: the service record on the asset's archive (with the tier's
 * labour discount), points through the loyalty ledger (order number = booking number), the asset's
 * mileage and last service, and the next maintenance due date and mileage.
 */
export async function completeBooking(m: EntityManager, config: Config, staff: StaffPrincipal, bookingId: number, body: CompleteBody, now = new Date()) {
  const booking = await staffBooking(m, staff, bookingId);
  const asset = await m.findOneByOrFail(Asset, { id: booking.assetId });
  assertMileageForward(asset, body.mileage);
  const completed = await moveStatus(m, booking, ["in_service", "ready_for_pickup"], "completed", { completedAt: now, readyAt: booking.readyAt ?? now });
  const member = await m.findOneByOrFail(Member, { id: booking.memberId });
  const tier = await m.findOneByOrFail(Tier, { code: member.tierCode });
  const sum = (kind: "labour" | "part") => body.items.filter((i) => i.kind === kind).reduce((total, i) => total + i.amountFen * i.quantity, 0);
  const partsFen = sum("part");
  const labourFen = sum("labour");
  const discountFen = Math.floor((labourFen * tier.labourDiscountPct) / 100);
  const amountFen = partsFen + labourFen - discountFen;
  const repair = await m.existsBy(ServiceType, { id: In(booking.serviceIds.split(",").map(Number)), code: "repair" });
  const points =
    amountFen > 0
      ? await recordConsumptionFor(m, config, staff, member, { orderNo: booking.bookingNo, amountFen, category: body.category ?? (repair ? "repair" : "maintenance"), storeId: booking.storeId }, now)
      : null;
  const due = await nextDue(m, config, asset, body.mileage, now);
  const archive = await m.findOneByOrFail(AssetArchive, { assetId: asset.id });
  const record = await m.save(
    m.create(ServiceRecord, {
      bookingId: booking.id,
      assetId: asset.id,
      archiveId: archive.id,
      memberId: member.id,
      storeId: booking.storeId,
      items: JSON.stringify(body.items),
      partsFen,
      labourFen,
      discountFen,
      amountFen,
      mileage: body.mileage,
      technicianId: completed.technicianId,
      pointsEarned: points?.pointsEarned ?? 0,
      completedAt: now,
      rating: null,
      ratingComment: null,
      ratedAt: null,
    }),
  );
  await m.update(Asset, { id: asset.id }, { mileage: body.mileage, lastServiceAt: now, nextDueDate: due.nextDueDate, nextDueMileage: due.nextDueMileage, updatedAt: now });
  return { record: toRecordView(record), pointsBalance: points?.pointsBalance ?? member.pointsBalance, nextDue: due };
}

/** The service history of one of the member's assets (removed assets included: the archive stays). */
export async function listAssetRecords(m: EntityManager, memberId: number, assetId: number) {
  const asset = await m.findOneBy(Asset, { id: assetId, memberId });
  if (!asset) throw notFound("车辆（设备）");
  return (await m.find(ServiceRecord, { where: { assetId }, order: { completedAt: "DESC" } })).map(toRecordView);
}

/** The member rates a visit once (1–5); the first rating earns the service-review points. */
export async function rateRecord(m: EntityManager, config: Config, memberId: number, recordId: number, score: number, comment: string | undefined, now = new Date()) {
  const record = await m.findOneBy(ServiceRecord, { id: recordId, memberId });
  if (!record) throw notFound("服务记录");
  const rated = await m.update(ServiceRecord, { id: record.id, rating: IsNull() }, { rating: score, ratingComment: comment ?? null, ratedAt: now });
  if (affectedOf(rated) === 0) throw new AppError("ALREADY_RATED", "该服务已评价过");
  const reward = await creditAction(m, config, memberId, "service_review", `record:${record.id}`, null);
  return { ...toRecordView({ ...record, rating: score, ratingComment: comment ?? null }), reviewPoints: reward.points };
}

/** Active assets whose maintenance falls due within `days`, for follow-up calls; phones masked by role. */
export async function listMaintenanceDue(m: EntityManager, staff: StaffPrincipal, query: DueQuery, now = new Date()) {
  const storeId = staff.storeId ?? query.storeId ?? null;
  const until = addCalendarDays(todayInShanghai(now), query.days);
  const qb = m.createQueryBuilder(Asset, "asset").where({ removedAt: IsNull(), nextDueDate: LessThanOrEqual(until) }).orderBy("asset.nextDueDate", "ASC");
  // filter by store in the query: other stores' assets are never loaded
  if (storeId !== null) qb.andWhere("asset.memberId IN " + qb.subQuery().select("member.id").from(Member, "member").where("member.storeId = :storeId").getQuery(), { storeId });
  const assets = await qb.getMany();
  const members = assets.length ? await m.findBy(Member, { id: In([...new Set(assets.map((a) => a.memberId))]) }) : [];
  return assets
    .map((a) => ({ asset: a, member: members.find((x) => x.id === a.memberId)! }))
    .map(({ asset, member }) => ({
      assetId: asset.id,
      plate: asset.plate,
      model: asset.model,
      mileage: asset.mileage,
      nextDueDate: asset.nextDueDate,
      nextDueMileage: asset.nextDueMileage,
      lastServiceAt: asset.lastServiceAt?.toISOString() ?? null,
      memberId: member.id,
      memberNickname: member.nickname,
      memberPhone: phoneForRole(member.phone, staff.role),
      storeId: member.storeId,
    }));
}
