import type { EntityManager } from "typeorm";
import type { ComplaintsConfig, Config } from "../config.js";
import { eligibilityProblem, issueCoupon } from "../coupons/issue.service.js";
import { CouponTemplate } from "../coupons/coupons.entity.js";
import { execute, insertRow, sqlDate, updateElseInsert } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { formatYuan } from "../http/money.js";
import { Member } from "../members/members.entity.js";
import { creditPoints, lockMember } from "../points/points.service.js";
import { StaffAccount } from "../staff/staff.entity.js";
import { assertMayAct, complaintForStaff } from "./access.js";
import { OPEN_STATUSES } from "./categories.js";
import type { Complaint } from "./complaints.entity.js";
import { transition, type Actor } from "./events.js";
import { complaintVars, excerpt, storeManagers, tellMember, tellStaff } from "./notices.js";
import { INVESTIGATION_FIELDS, INVESTIGATION_NAMES, type ApprovalBody, type CompensationInput, type Investigation, type ResolveBody } from "./resolution.schema.js";

/** A resolution above its author's limit, kept in complaint.pendingResolution until a manager or admin decides. */
interface PendingResolution {
  investigation: Investigation;
  reply: string;
  compensation: CompensationInput;
  valueFen: number;
  requestedBy: number;
  requestedAt: string;
  approverRole: "manager" | "admin";
}

const invalid = (message: string, details?: object) => new AppError("COMPENSATION_INVALID", message, details);
const conflictAs = async (work: () => Promise<void>, error: () => AppError) => {
  try {
    await work();
  } catch (err) {
    throw err instanceof AppError && err.code === "COMPLAINT_STATUS_CONFLICT" ? error() : err;
  }
};

/** All six fields of the investigation report, or COMPLAINT_INVESTIGATION_REQUIRED naming the missing ones. */
function requireInvestigation(given: Partial<Investigation> | undefined): Investigation {
  const missing = INVESTIGATION_FIELDS.filter((f) => !given?.[f]?.trim());
  if (missing.length) {
    throw new AppError("COMPLAINT_INVESTIGATION_REQUIRED", `解决投诉前请填写调查报告：${missing.map((f) => INVESTIGATION_NAMES[f]).join("、")}`, { missing });
  }
  return Object.fromEntries(INVESTIGATION_FIELDS.map((f) => [f, given![f]!.trim()])) as Investigation;
}

/**
 * What a compensation is worth in fen: points × fenPerPoint, or a staff-channel coupon's face value
 * (cash and threshold: valueFen; percent: its cap maxDiscountFen; service: valueFen when set). A
 * coupon without a value in fen cannot be checked against a limit and is refused.
 */
async function valueOf(m: EntityManager, config: ComplaintsConfig, c: Complaint, comp: CompensationInput, now: Date): Promise<{ valueFen: number; template: CouponTemplate | null }> {
  if (c.memberId === null) throw invalid("投诉人不是会员，无法发放优惠券或积分补偿");
  if (comp.type === "points") return { valueFen: comp.points * config.fenPerPoint, template: null };
  const t = await m.findOneBy(CouponTemplate, { id: comp.templateId });
  if (!t) throw invalid("补偿用的优惠券模板不存在", { templateId: comp.templateId });
  if (t.channel !== "staff") throw invalid("补偿只能使用“门店发放”渠道的优惠券模板", { channel: t.channel });
  if (t.storeId !== null && t.storeId !== c.storeId) throw invalid("该优惠券不适用于投诉所在门店", { storeId: t.storeId });
  const fen = t.kind === "percent" ? t.maxDiscountFen : t.valueFen;
  if (!fen) throw invalid(t.kind === "percent" ? "不封顶的折扣券无法核定补偿金额，请选择现金券或设置了最高优惠的折扣券" : "该服务券没有设置面值，无法核定补偿金额", { kind: t.kind });
  const problem = eligibilityProblem(t, null, now);
  if (problem) throw problem;
  return { valueFen: fen, template: t };
}

/** Issues the compensation in the caller's transaction: the coupon (once per complaint by its issue key) or the points (once by the ledger's idempotency key). */
async function issueCompensation(m: EntityManager, config: Config, c: Complaint, comp: CompensationInput, template: CouponTemplate | null, staffId: number, now: Date) {
  const memberId = c.memberId!;
  if (comp.type === "coupon") {
    const member = await m.findOneByOrFail(Member, { id: memberId });
    const coupon = await issueCoupon(m, template!, member, { via: "staff", note: `投诉 ${c.number} 补偿`, issueKey: `complaint:${c.id}` }, now);
    await execute(m, "UPDATE complaint SET compensationCouponId = ? WHERE id = ?", [coupon.id, c.id]);
    return `我们为您发放了优惠券「${template!.name}」，可在“我的优惠券”中查看。`;
  }
  await lockMember(m, memberId);
  const entry = await creditPoints(
    m,
    { memberId, points: comp.points, reason: "adjust", reasonText: `投诉 ${c.number} 补偿`, idempotencyKey: `complaint:${c.id}:compensation`, refType: "complaint", refId: String(c.id), staffId },
    config.loyalty.pointsExpiryMonths,
  );
  await execute(m, "UPDATE complaint SET compensationLedgerId = ? WHERE id = ?", [entry.id, c.id]);
  return `我们为您赠送了 ${comp.points} 积分。`;
}

interface Resolution {
  investigation: Investigation;
  reply: string;
  compensation: CompensationInput | null;
  valued: { valueFen: number; template: CouponTemplate | null } | null;
  /** who wrote the report and the reply (the requester, when a manager approves it) */
  authorId: number;
}

/**
 * Resolves in one transaction: the status CAS (from the status read, with the approval guard), the
 * compensation, the investigation report, the reply in the thread, the result to the member and the
 * return-visit task to the owner. Any failure takes all of it back.
 */
async function finishResolution(m: EntityManager, config: Config, c: Complaint, r: Resolution, actor: Actor, approval: { guard: string; decidedBy?: number; conflict: () => AppError }, now: Date) {
  const set: Record<string, unknown> = {
    resolvedAt: now, pausedAt: null, firstRespondedAt: c.firstRespondedAt ?? now, closedAt: null, resolutionReply: r.reply, pendingResolution: null,
    returnVisitStatus: "pending", returnVisitMethod: null, returnVisitOutcome: null, returnVisitNote: null, returnVisitBy: null, returnVisitAt: null,
    // a resolution after a reopen opens a fresh survey; the earlier answer stays in its "surveyed" event
    surveyedAt: null, satisfactionRating: null, satisfactionSolved: null, satisfactionComment: null,
  };
  if (r.compensation && r.valued) {
    Object.assign(set, {
      compensationType: r.compensation.type, compensationTemplateId: r.compensation.type === "coupon" ? r.compensation.templateId : null,
      compensationPoints: r.compensation.type === "points" ? r.compensation.points : null, compensationValueFen: r.valued.valueFen,
    });
  }
  if (approval.decidedBy !== undefined) Object.assign(set, { approvalStatus: "approved", approvalDecidedBy: approval.decidedBy });
  await conflictAs(
    () => transition(m, c.id, [c.status], "resolved", set, { type: "resolved", actor, now, fromStatus: c.status, detail: { valueFen: r.valued?.valueFen ?? 0, approvedBy: approval.decidedBy ?? null }, guard: { sql: approval.guard, params: [] } }),
    approval.conflict,
  );
  const line = r.compensation && r.valued ? await issueCompensation(m, config, c, r.compensation, r.valued.template, r.authorId, now) : "";
  const report = JSON.stringify(r.investigation);
  await updateElseInsert(m, "UPDATE complaint_report SET body = ?, staffId = ?, createdAt = ? WHERE complaintId = ? AND kind = 'investigation'", [report, r.authorId, sqlDate(m, now), c.id], "complaint_report", {
    complaintId: c.id, kind: "investigation", body: report, staffId: r.authorId, createdAt: now,
  });
  await insertRow(m, "complaint_message", { complaintId: c.id, authorType: "staff", staffId: r.authorId, internal: false, body: r.reply, createdAt: now });
  const vars = await complaintVars(m, c);
  // reopenCount tells one resolution round from the next
  await tellMember(m, c, { kind: "complaint_resolved", vars: { ...vars, reply: excerpt(r.reply), compensationLine: line }, dedupeKey: `cmp:${c.id}:resolved:${c.reopenCount}` }, now);
  if (c.ownerStaffId !== null) await tellStaff(m, c.ownerStaffId, c.storeId, { kind: "complaint_return_visit", vars, dedupeKey: `cmp:${c.id}:return-visit:${c.reopenCount}` }, now);
}

/** Who approves a value: the store's manager within the manager limit, an admin above it, nobody above the admin limit. */
function approverRoleFor(config: ComplaintsConfig, valueFen: number): "manager" | "admin" | null {
  if (valueFen <= config.compensationLimits.manager) return "manager";
  return valueFen <= config.compensationLimits.admin ? "admin" : null;
}

async function approversOf(m: EntityManager, c: Complaint, role: "manager" | "admin", requesterId: number): Promise<number[]> {
  let ids = role === "manager" ? await storeManagers(m, c) : [];
  if (!ids.length) ids = (await m.find(StaffAccount, { where: { role: "admin", disabled: false }, select: { id: true, storeId: true } })).filter((a) => a.storeId === null || a.storeId === c.storeId).map((a) => a.id);
  return ids.filter((id) => id !== requesterId && id !== c.accusedStaffId);
}

/** A resolution above the resolver's limit waits as pendingResolution; the approvers hear of it through the outbox. Nothing is issued yet. */
async function requestApproval(m: EntityManager, config: Config, staff: StaffPrincipal, c: Complaint, r: Resolution, now: Date) {
  const valueFen = r.valued!.valueFen;
  const approverRole = approverRoleFor(config.complaints, valueFen);
  if (!approverRole) throw invalid(`补偿金额 ${formatYuan(valueFen)} 超出最高审批权限 ${formatYuan(config.complaints.compensationLimits.admin)}`, { valueFen, limitFen: config.complaints.compensationLimits.admin });
  const pending: PendingResolution = { investigation: r.investigation, reply: r.reply, compensation: r.compensation!, valueFen, requestedBy: staff.id, requestedAt: now.toISOString(), approverRole };
  await transition(m, c.id, [c.status], c.status, { approvalStatus: "pending", pendingResolution: JSON.stringify(pending), approvalRequestedBy: staff.id, approvalDecidedBy: null }, {
    type: "resolution_requested", actor: { type: "staff", id: staff.id }, now, fromStatus: c.status, detail: { valueFen, compensation: r.compensation, approverRole },
    guard: { sql: "approvalStatus <> 'pending'", params: [] },
  });
  const vars = { ...(await complaintVars(m, c)), value: formatYuan(valueFen), requester: staff.name };
  for (const id of await approversOf(m, c, approverRole, staff.id)) {
    await tellStaff(m, id, c.storeId, { kind: "complaint_approval", vars, dedupeKey: `cmp:${c.id}:approval:${id}:${now.getTime()}` }, now);
  }
}

/**
 * Resolves a complaint with its investigation report and the reply to the customer. Compensation
 * within the resolver's limit is issued in the same transaction; above it the resolution waits for
 * approval and nothing is issued. Returns whether it resolved or waits.
 */
export async function resolveComplaint(m: EntityManager, config: Config, staff: StaffPrincipal, id: number, body: ResolveBody, now: Date): Promise<"resolved" | "pending_approval"> {
  const c = await complaintForStaff(m, staff, id);
  assertMayAct(staff, c);
  if (!OPEN_STATUSES.includes(c.status)) throw new AppError("COMPLAINT_STATUS_CONFLICT", c.status === "received" ? "请先认领该投诉再处理" : "该投诉已解决或已关闭", { status: c.status });
  if (c.approvalStatus === "pending") throw new AppError("COMPLAINT_STATUS_CONFLICT", "该投诉的补偿正在等待审批，请等待审批结果", { approvalStatus: c.approvalStatus });
  const investigation = requireInvestigation(body.investigation);
  const compensation = body.compensation ?? null;
  if (compensation && (c.compensationCouponId !== null || c.compensationLedgerId !== null)) throw invalid("该投诉已经发放过补偿，不能重复补偿");
  const valued = compensation ? await valueOf(m, config.complaints, c, compensation, now) : null;
  const r: Resolution = { investigation, reply: body.reply.trim(), compensation, valued, authorId: staff.id };
  if (valued && valued.valueFen > config.complaints.compensationLimits[staff.role]) {
    await requestApproval(m, config, staff, c, r, now);
    return "pending_approval";
  }
  const conflict = () => new AppError("COMPLAINT_STATUS_CONFLICT", "投诉状态已变化，请刷新后再试");
  await finishResolution(m, config, c, r, { type: "staff", id: staff.id }, { guard: "approvalStatus <> 'pending'", conflict }, now);
  return "resolved";
}

const notPending = () => new AppError("APPROVAL_NOT_PENDING", "该投诉没有待审批的补偿");

function pendingOf(c: Complaint): PendingResolution {
  if (c.approvalStatus !== "pending" || !c.pendingResolution) throw notPending();
  return JSON.parse(c.pendingResolution) as PendingResolution;
}

/** The waiting resolution as its approver reads it. */
export async function pendingApproval(m: EntityManager, config: ComplaintsConfig, staff: StaffPrincipal, id: number) {
  const p = pendingOf(await complaintForStaff(m, staff, id));
  const requester = await m.findOne(StaffAccount, { where: { id: p.requestedBy }, select: { id: true, name: true } });
  return {
    ...p, value: formatYuan(p.valueFen), requestedByName: requester?.name ?? null,
    mayApprove: (staff.role === "manager" || staff.role === "admin") && p.valueFen <= config.compensationLimits[staff.role],
  };
}

/**
 * A manager or admin decides a waiting resolution: approval resolves it and issues the compensation in
 * one transaction, if their own limit covers its value; a rejection sends it back to the owner with the note.
 */
export async function decideApproval(m: EntityManager, config: Config, staff: StaffPrincipal, id: number, body: ApprovalBody, now: Date) {
  const c = await complaintForStaff(m, staff, id);
  const p = pendingOf(c);
  const actor: Actor = { type: "staff", id: staff.id };
  if (!body.approve) {
    await conflictAs(
      () => transition(m, c.id, [c.status], c.status, { approvalStatus: "rejected", pendingResolution: null, approvalDecidedBy: staff.id }, {
        type: "approval_rejected", actor, now, fromStatus: c.status, detail: { valueFen: p.valueFen, note: body.note ?? null }, guard: { sql: "approvalStatus = 'pending'", params: [] },
      }),
      notPending,
    );
    const to = c.ownerStaffId ?? p.requestedBy;
    const text = `投诉 ${c.number} 的补偿申请（${formatYuan(p.valueFen)}）未获批准${body.note ? `：${body.note}` : ""}，请调整处理方案后重新提交。`;
    await tellStaff(m, to, c.storeId, { kind: "staff_alert", vars: { text, storeName: (await complaintVars(m, c)).storeName }, dedupeKey: `cmp:${c.id}:approval-rejected:${now.getTime()}` }, now);
    return;
  }
  const valued = await valueOf(m, config.complaints, c, p.compensation, now);
  const limitFen = config.complaints.compensationLimits[staff.role];
  if (valued.valueFen > limitFen) throw new AppError("APPROVAL_OVER_LIMIT", `补偿金额 ${formatYuan(valued.valueFen)} 超出您的审批权限 ${formatYuan(limitFen)}，请由管理员审批`, { valueFen: valued.valueFen, limitFen });
  await finishResolution(m, config, c, { investigation: p.investigation, reply: p.reply, compensation: p.compensation, valued, authorId: p.requestedBy }, actor, { guard: "approvalStatus = 'pending'", decidedBy: staff.id, conflict: notPending }, now);
}

/** What the resolver may offer on this complaint: the store's staff-channel coupons with their value in fen, and their own limit. */
export async function compensationOptions(m: EntityManager, config: ComplaintsConfig, staff: StaffPrincipal, id: number, now: Date) {
  const c = await complaintForStaff(m, staff, id);
  const limitFen = config.compensationLimits[staff.role];
  const templates = await m.createQueryBuilder(CouponTemplate, "t").where("t.channel = 'staff'").andWhere("(t.storeId IS NULL OR t.storeId = :storeId)", { storeId: c.storeId }).orderBy("t.id", "ASC").getMany();
  const offered = templates.flatMap((t) => {
    const valueFen = t.kind === "percent" ? t.maxDiscountFen : t.valueFen;
    if (!valueFen || eligibilityProblem(t, null, now)) return [];
    return [{ id: t.id, name: t.name, kind: t.kind, valueFen, withinLimit: valueFen <= limitFen }];
  });
  return { memberCanReceive: c.memberId !== null, limitFen, fenPerPoint: config.fenPerPoint, templates: offered };
}
