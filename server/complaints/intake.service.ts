import type { EntityManager } from "typeorm";
import { Asset } from "../assets/assets.entity.js";
import { Booking } from "../bookings/bookings.entity.js";
import type { ComplaintsConfig } from "../config.js";
import type { Database } from "../db/database.js";
import { runIdempotent, storedResult } from "../idempotency/idempotency.service.js";
import { insertRow } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { Member } from "../members/members.entity.js";
import { getMember, requireActiveStore, storeOfAction } from "../members/members.service.js";
import { StaffAccount } from "../staff/staff.entity.js";
import { CATEGORIES, type Category, type ComplaintChannel, type Demand } from "./categories.js";
import { Complaint } from "./complaints.entity.js";
import type { MemberComplaintBody } from "./complaints.schema.js";
import { SYSTEM, recordEvent, type Actor } from "./events.js";
import { complaintVars, tellMember } from "./notices.js";
import { nextComplaintNumber } from "./numbering.js";
import { attachPhotos } from "./photo-links.js";
import { assignComplaint, routeComplaint } from "./routing.service.js";
import { majorReasonsOf } from "./severity.js";
import { raiseMajor } from "./severity.service.js";
import { dueTimes, slaClockFor, slaHours } from "./sla.js";

export type ComplaintInput = MemberComplaintBody;

interface Complainant {
  memberId: number | null;
  name: string;
  phone: string | null;
  carModel: string | null;
  plate: string | null;
  assetId: number | null;
  bookingId: number | null;
  storeId: number | null;
}

/** Name, phone, model and plate from the member's archive; the car named, or their only car. */
async function fromArchive(m: EntityManager, member: Member, input: ComplaintInput): Promise<Complainant> {
  let asset: Asset | null = null;
  let booking: Booking | null = null;
  if (input.bookingId !== undefined) {
    booking = await m.findOneBy(Booking, { id: input.bookingId, memberId: member.id });
    if (!booking) throw new AppError("NOT_FOUND", "预约不存在", { bookingId: input.bookingId });
  }
  const assetId = input.assetId ?? booking?.assetId;
  if (assetId !== undefined) {
    asset = await m.findOneBy(Asset, { id: assetId, memberId: member.id });
    if (!asset) throw new AppError("NOT_FOUND", "车辆不存在", { assetId });
  } else {
    const cars = await m.find(Asset, { where: { memberId: member.id }, take: 2 });
    const active = cars.filter((a) => a.removedAt === null);
    if (active.length === 1) asset = active[0];
  }
  return {
    memberId: member.id, name: member.nickname, phone: member.phone, carModel: asset?.model ?? null, plate: asset?.plate ?? null,
    assetId: asset?.id ?? null, bookingId: booking?.id ?? null, storeId: booking?.storeId ?? null,
  };
}

interface Intake {
  channel: ComplaintChannel;
  complainant: Complainant;
  storeId: number;
  input: ComplaintInput;
  /** staff intake: who took it in (首问负责) */
  receiver: StaffPrincipal | null;
  /** photos come from this uploader */
  uploader: { type: "member" | "staff"; id: number };
  actor: Actor;
  /** staff intake marked major by the receiver (门店认定的重大投诉), with the reason */
  majorReason?: string;
}

/** What refuses an intake before it gets a number: the store and the staff member complained about. */
async function checkIntake(m: EntityManager, intake: Intake): Promise<Intake> {
  await requireActiveStore(m, intake.storeId);
  const accused = intake.input.staffId;
  if (accused !== undefined && !(await m.existsBy(StaffAccount, { id: accused }))) throw new AppError("COMPLAINT_STAFF_UNKNOWN", "被投诉的员工不存在", { staffId: accused });
  return intake;
}

/**
 * Files a checked intake, once per idempotency key (a double tap or a retried request gets the first
 * complaint back). Its number comes from a short transaction of its own: the day's counter row is
 * the one row every intake writes, and on a multi-primary cluster a long transaction around it loses
 * certification to its parallel twins over and over. A number whose intake then fails (a photo that
 * is not the uploader's, a parallel twin with the same key) is skipped: numbers are unique and
 * rising, not gapless.
 */
async function fileIntake(db: Database, config: ComplaintsConfig, intake: Intake, now: Date, key: string | undefined): Promise<Complaint> {
  const idem = { scope: "complaint.file", actor: `${intake.actor.type}:${intake.actor.id}`, key, request: { channel: intake.channel, input: intake.input } };
  let filed = await storedResult<{ id: number }>(db, idem);
  if (!filed) {
    const number = await db.tx((m) => nextComplaintNumber(m, now));
    filed = await runIdempotent(db, idem, async (m) => ({ id: await file(m, config, intake, number, now) }));
  }
  const id = filed.id;
  return db.read((m) => m.findOneByOrFail(Complaint, { id }));
}

/** Writes the card, its first trail lines and photos, raises it to major, routes it and tells the member; returns its id. */
async function file(m: EntityManager, config: ComplaintsConfig, intake: Intake, number: string, now: Date): Promise<number> {
  const { complainant: who, input } = intake;
  const reasons = await majorReasonsOf(m, config, { memberId: who.memberId, complainantPhone: who.phone, demand: input.demand, content: input.content }, now);
  const severity = reasons.length ? "major" : "normal";
  const team = CATEGORIES[input.category].team;
  const dues = await dueTimes(await slaClockFor(m, config, intake.storeId), slaHours(config, input.category, "normal"), now);
  const id = await insertRow(m, "complaint", {
    number, storeId: intake.storeId, channel: intake.channel, category: input.category, team, content: input.content, demand: input.demand,
    memberId: who.memberId, complainantName: who.name, complainantPhone: who.phone, carModel: who.carModel, plate: who.plate, assetId: who.assetId, bookingId: who.bookingId,
    accusedStaffId: input.staffId ?? null, severity: "normal", majorReasons: "", status: "received", receivedByStaffId: intake.receiver?.id ?? null, ownerStaffId: null,
    receivedAt: now, ...dues, slaFlags: "", approvalStatus: "none", reopenCount: 0, updatedAt: now,
  });
  await recordEvent(m, id, "received", intake.actor, now, { to: "received", detail: { channel: intake.channel } });
  if (input.photoIds?.length) await attachPhotos(m, input.photoIds, intake.uploader, id, null);
  let c = await m.findOneByOrFail(Complaint, { id });
  if (severity === "major") c = await raiseMajor(m, config, c, reasons, SYSTEM, now);
  if (intake.majorReason) c = await raiseMajor(m, config, c, [`flag:${intake.majorReason}`], intake.actor, now);
  const receiver = intake.receiver;
  // 首问负责: a store's own staff keep what they take in; a group-level agent forwards it to the store's queue
  if (receiver && receiver.storeId !== null && receiver.id !== c.accusedStaffId) await assignComplaint(m, c, receiver.id, intake.actor, "first_receiver", now);
  else await routeComplaint(m, c, now);
  // the chatbot answers the filing in the chat with its number: a second notice would say it twice
  if (intake.channel !== "bot") await tellMember(m, c, { kind: "complaint_received", vars: { ...(await complaintVars(m, c)), hours: slaHours(config, c.category, c.severity).first }, dedupeKey: `cmp:${c.id}:received` }, now);
  return id;
}

/**
 * A member's complaint from the mini-program (or the chatbot): details from their archive, routed to an
 * agent. `key`: the client's idempotency key (the Idempotency-Key header, or the bot's dialog id).
 */
export async function fileMemberComplaint(db: Database, config: ComplaintsConfig, memberId: number, input: ComplaintInput, now: Date, channel: ComplaintChannel = "miniprogram", key?: string): Promise<Complaint> {
  const intake = await db.read(async (m) => {
    const member = await getMember(m, memberId);
    const complainant = await fromArchive(m, member, input);
    const storeId = complainant.storeId ?? input.storeId ?? member.storeId;
    return checkIntake(m, { channel, complainant, storeId, input, receiver: null, uploader: { type: "member", id: memberId }, actor: { type: "member", id: memberId } });
  });
  return fileIntake(db, config, intake, now, key);
}

export interface StaffIntakeInput extends ComplaintInput {
  channel: "phone" | "walk_in" | "hotline";
  /** the complainant is a member, found by member code or phone … */
  memberCode?: string;
  memberPhone?: string;
  /** … or a caller who is not one */
  callerName?: string;
  callerPhone?: string;
  carModel?: string;
  plate?: string;
  /** the receiver marks it major at intake, with the reason */
  majorReason?: string;
}

/** Finds the member a staff intake is for: by member code, or by phone when exactly one member has it. */
async function memberOfIntake(m: EntityManager, input: StaffIntakeInput): Promise<Member | null> {
  if (input.memberCode) {
    const member = await m.findOneBy(Member, { memberCode: input.memberCode.toUpperCase() });
    if (!member) throw new AppError("NOT_FOUND", "会员码无效或已更换，请让会员刷新会员码");
    return member;
  }
  if (input.memberPhone) {
    const members = await m.find(Member, { where: { phone: input.memberPhone }, take: 2 });
    if (members.length === 0) throw new AppError("NOT_FOUND", "没有使用该手机号的会员，可按非会员登记");
    if (members.length > 1) throw new AppError("MEMBER_AMBIGUOUS", "多个会员使用该手机号，请改用会员码");
    return members[0];
  }
  return null;
}

/** A phone, walk-in or hotline complaint recorded by staff; the receiver owns it unless they serve every store (then it goes to the store's queue). */
export async function fileStaffComplaint(db: Database, config: ComplaintsConfig, staff: StaffPrincipal, input: StaffIntakeInput, now: Date, key?: string): Promise<Complaint> {
  const intake = await db.read(async (m) => {
    const storeId = storeOfAction(staff, input.storeId);
    const member = await memberOfIntake(m, input);
    let complainant: Complainant;
    if (member) {
      complainant = await fromArchive(m, member, input);
    } else {
      if (!input.callerName || !input.callerPhone) throw new AppError("VALIDATION_FAILED", "请提供会员码、会员手机号，或非会员的姓名和电话", [{ in: "body", field: "callerName", rule: "required", message: "缺少必填字段" }]);
      if (input.assetId !== undefined || input.bookingId !== undefined) throw new AppError("VALIDATION_FAILED", "非会员投诉不能关联车辆或预约", [{ in: "body", field: "assetId", rule: "member_only", message: "仅会员可关联" }]);
      complainant = { memberId: null, name: input.callerName, phone: input.callerPhone, carModel: input.carModel ?? null, plate: input.plate?.toUpperCase() ?? null, assetId: null, bookingId: null, storeId: null };
    }
    return checkIntake(m, { channel: input.channel, complainant, storeId, input, receiver: staff, uploader: { type: "staff", id: staff.id }, actor: { type: "staff", id: staff.id }, majorReason: input.majorReason });
  });
  return fileIntake(db, config, intake, now, key);
}
