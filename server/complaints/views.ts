import { In, type EntityManager } from "typeorm";
import type { StaffPrincipal } from "../http/context.js";
import { phoneForRole } from "../privacy/mask.js";
import { StaffAccount } from "../staff/staff.entity.js";
import { CATEGORIES, CHANNELS, DEMANDS, MEMBER_STATUS_WORDS, SEVERITIES, STATUSES, type Category } from "./categories.js";
import { Complaint, ComplaintEvent, ComplaintMessage, ComplaintPhoto, ComplaintReport } from "./complaints.entity.js";
import { staffSignature } from "./events.js";
import { majorReasonName } from "./severity.js";

export type SlaState = "on_track" | "warning" | "breached" | "paused" | "met";
export const SLA_STATE_NAMES: Record<SlaState, string> = { on_track: "正常", warning: "即将超时", breached: "已超时", paused: "暂停计时（等待客户）", met: "按时完成" };

type Stage = { dueAt: Date; warnAt: Date; doneAt: Date | null };

function stageState(s: Stage, now: Date): SlaState {
  if (s.doneAt) return s.doneAt <= s.dueAt ? "met" : "breached";
  if (now > s.dueAt) return "breached";
  return now >= s.warnAt ? "warning" : "on_track";
}

/** The complaint's SLA as staff read it: each stage's due time and state, and the worst of them. */
export function slaOf(c: Complaint, now: Date) {
  // while it waits for the customer the clock stands at the pause (its dues move on resume): it cannot fall due meanwhile
  const clockAt = c.pausedAt ?? now;
  const first = stageState({ dueAt: c.firstResponseDueAt, warnAt: c.firstResponseWarnAt, doneAt: c.firstRespondedAt }, clockAt);
  const resolution = stageState({ dueAt: c.resolutionDueAt, warnAt: c.resolutionWarnAt, doneAt: c.resolvedAt }, clockAt);
  const escalation: SlaState | null = c.escalationDueAt ? (c.escalatedAt ? (c.escalatedAt <= c.escalationDueAt ? "met" : "breached") : now > c.escalationDueAt ? "breached" : "on_track") : null;
  const states = [first, resolution, ...(escalation ? [escalation] : [])];
  const worst: SlaState = states.includes("breached") ? "breached" : c.status === "waiting" ? "paused" : states.includes("warning") ? "warning" : states.every((s) => s === "met") ? "met" : "on_track";
  return {
    state: worst, stateName: SLA_STATE_NAMES[worst],
    firstResponse: { dueAt: c.firstResponseDueAt.toISOString(), doneAt: c.firstRespondedAt?.toISOString() ?? null, state: first },
    resolution: { dueAt: c.resolutionDueAt.toISOString(), doneAt: c.resolvedAt?.toISOString() ?? null, state: resolution },
    escalation: c.escalationDueAt ? { dueAt: c.escalationDueAt.toISOString(), doneAt: c.escalatedAt?.toISOString() ?? null, state: escalation } : null,
    pausedSince: c.pausedAt?.toISOString() ?? null,
  };
}

async function staffNames(m: EntityManager, ids: (number | null)[]): Promise<Map<number, string>> {
  const wanted = [...new Set(ids.filter((id): id is number => id !== null))];
  if (!wanted.length) return new Map();
  const rows = await m.find(StaffAccount, { where: { id: In(wanted) }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}

const person = (names: Map<number, string>, id: number | null) => (id === null ? null : { id, name: names.get(id) ?? staffSignature(id), signature: staffSignature(id) });

/** The card as staff see it (phone masked by role). */
export function toStaffView(c: Complaint, staff: StaffPrincipal, names: Map<number, string>, now: Date) {
  return {
    id: c.id, number: c.number, storeId: c.storeId, channel: c.channel, channelName: CHANNELS[c.channel],
    category: c.category, categoryName: CATEGORIES[c.category as Category]?.name ?? c.category, team: c.team,
    content: c.content, demand: c.demand, demandName: DEMANDS[c.demand],
    complainant: { memberId: c.memberId, name: c.complainantName, phone: phoneForRole(c.complainantPhone, staff.role), carModel: c.carModel, plate: c.plate },
    assetId: c.assetId, bookingId: c.bookingId,
    accused: person(names, c.accusedStaffId), receivedBy: person(names, c.receivedByStaffId), owner: person(names, c.ownerStaffId),
    severity: c.severity, severityName: SEVERITIES[c.severity], majorReasons: c.majorReasons ? c.majorReasons.split(",").map(majorReasonName) : [],
    status: c.status, statusName: STATUSES[c.status], receivedAt: c.receivedAt.toISOString(), sla: slaOf(c, now),
    resolution: c.resolvedAt ? { reply: c.resolutionReply, resolvedAt: c.resolvedAt.toISOString() } : null,
    compensation: c.compensationType ? { type: c.compensationType, templateId: c.compensationTemplateId, points: c.compensationPoints, valueFen: c.compensationValueFen, couponId: c.compensationCouponId } : null,
    approval: { status: c.approvalStatus, requestedBy: person(names, c.approvalRequestedBy), decidedBy: person(names, c.approvalDecidedBy) },
    satisfaction: c.surveyedAt ? { rating: c.satisfactionRating, solved: c.satisfactionSolved, comment: c.satisfactionComment, at: c.surveyedAt.toISOString() } : null,
    returnVisit: c.returnVisitStatus ? { status: c.returnVisitStatus, method: c.returnVisitMethod, outcome: c.returnVisitOutcome, note: c.returnVisitNote, by: person(names, c.returnVisitBy), at: c.returnVisitAt?.toISOString() ?? null } : null,
    reopenCount: c.reopenCount,
  };
}

export async function staffViews(m: EntityManager, staff: StaffPrincipal, rows: Complaint[], now: Date) {
  const names = await staffNames(m, rows.flatMap((c) => [c.accusedStaffId, c.receivedByStaffId, c.ownerStaffId, c.approvalRequestedBy, c.approvalDecidedBy, c.returnVisitBy]));
  return rows.map((c) => toStaffView(c, staff, names, now));
}

/** A complaint's whole page for staff: the card, the thread with internal notes, the audit trail, photos and reports. */
export async function staffDetail(m: EntityManager, staff: StaffPrincipal, c: Complaint, now: Date) {
  const [messages, events, photos, reports] = await Promise.all([
    m.find(ComplaintMessage, { where: { complaintId: c.id }, order: { id: "ASC" } }),
    m.find(ComplaintEvent, { where: { complaintId: c.id }, order: { id: "ASC" } }),
    m.find(ComplaintPhoto, { where: { complaintId: c.id }, order: { id: "ASC" } }),
    m.find(ComplaintReport, { where: { complaintId: c.id }, order: { id: "ASC" } }),
  ]);
  const names = await staffNames(m, [c.accusedStaffId, c.receivedByStaffId, c.ownerStaffId, c.approvalRequestedBy, c.approvalDecidedBy, c.returnVisitBy, ...messages.map((x) => x.staffId), ...events.map((e) => (e.actorType === "staff" ? e.actorId : null)), ...reports.map((r) => r.staffId)]);
  return {
    ...toStaffView(c, staff, names, now),
    messages: messages.map((x) => ({
      id: x.id, authorType: x.authorType, author: x.authorType === "staff" ? person(names, x.staffId) : null, internal: x.internal, body: x.body, createdAt: x.createdAt.toISOString(),
      photoIds: photos.filter((p) => p.messageId === x.id).map((p) => p.id),
    })),
    photoIds: photos.filter((p) => p.messageId === null).map((p) => p.id),
    events: events.map((e) => ({ id: e.id, type: e.type, fromStatus: e.fromStatus, toStatus: e.toStatus, actorType: e.actorType, actor: e.actorType === "staff" ? person(names, e.actorId) : null, detail: JSON.parse(e.detail), at: e.createdAt.toISOString() })),
    reports: Object.fromEntries(reports.map((r) => [r.kind, { ...JSON.parse(r.body), by: person(names, r.staffId), at: r.createdAt.toISOString() }])),
  };
}

/** What the member reads: their words, replies signed 客服 <number>, never internal notes, names or SLA figures. */
export async function memberDetail(m: EntityManager, c: Complaint, surveyDays: number, now: Date) {
  const [messages, photos] = await Promise.all([
    m.find(ComplaintMessage, { where: { complaintId: c.id, internal: false }, order: { id: "ASC" } }),
    m.find(ComplaintPhoto, { where: { complaintId: c.id }, order: { id: "ASC" } }),
  ]);
  return {
    ...toMemberView(c, surveyDays, now),
    messages: messages.map((x) => ({
      id: x.id, from: x.authorType === "member" ? "member" : "staff", author: x.authorType === "member" ? "我" : x.staffId ? staffSignature(x.staffId) : "客服", body: x.body, createdAt: x.createdAt.toISOString(),
      photoIds: photos.filter((p) => p.messageId === x.id).map((p) => p.id),
    })),
    photoIds: photos.filter((p) => p.messageId === null).map((p) => p.id),
  };
}

export function toMemberView(c: Complaint, surveyDays: number, now: Date) {
  const surveyOpen = c.status === "resolved" && !c.surveyedAt && c.resolvedAt !== null && now.getTime() - c.resolvedAt.getTime() <= surveyDays * 86_400_000;
  return {
    id: c.id, number: c.number, status: c.status, statusText: MEMBER_STATUS_WORDS[c.status],
    category: c.category, categoryName: CATEGORIES[c.category as Category]?.name ?? c.category, content: c.content, demand: c.demand, demandName: DEMANDS[c.demand],
    plate: c.plate, assetId: c.assetId, bookingId: c.bookingId, storeId: c.storeId, createdAt: c.receivedAt.toISOString(),
    resolution: c.resolvedAt ? { reply: c.resolutionReply, resolvedAt: c.resolvedAt.toISOString(), compensation: c.compensationType ? { type: c.compensationType, points: c.compensationPoints, couponId: c.compensationCouponId } : null } : null,
    survey: { open: surveyOpen, answered: c.surveyedAt !== null, rating: c.satisfactionRating, solved: c.satisfactionSolved, comment: c.satisfactionComment },
  };
}
