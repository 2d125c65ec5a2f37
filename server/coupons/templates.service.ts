import { In, type EntityManager } from "typeorm";
import { recordAudit } from "../audit/audit.service.js";
import { affectedOf } from "../db/errors.js";
import { execute, fromSqlDate } from "../db/sql.js";
import { AppError, notFound } from "../http/app-error.js";
import { assertStoreScope } from "../http/auth.js";
import type { StaffPrincipal } from "../http/context.js";
import { Tier } from "../tiers/tiers.entity.js";
import { CouponTemplate } from "./coupons.entity.js";
import type { CreateTemplateBody, UpdateTemplateBody } from "./coupons.schema.js";

const invalid = (message: string, field: string) => new AppError("COUPON_TEMPLATE_INVALID", message, { field });

/** The rules each kind, validity and channel need beyond the schema. */
function checkTemplate(body: CreateTemplateBody): void {
  if ((body.kind === "cash" || body.kind === "threshold") && !body.valueFen) throw invalid("现金券和满减券需要设置优惠金额 valueFen", "valueFen");
  if (body.kind === "threshold" && (!body.thresholdFen || body.thresholdFen <= body.valueFen!)) throw invalid("满减券需要设置大于优惠金额的门槛 thresholdFen", "thresholdFen");
  if (body.kind === "percent" && !body.percentOff) throw invalid("折扣券需要设置折扣 percentOff", "percentOff");
  if (body.kind === "service" && !body.serviceName) throw invalid("服务券需要设置服务内容 serviceName", "serviceName");
  if (body.kind !== "percent" && (body.percentOff !== undefined || body.maxDiscountFen !== undefined)) throw invalid("只有折扣券可以设置 percentOff 和 maxDiscountFen", "percentOff");
  const fixed = body.validFrom !== undefined || body.validTo !== undefined;
  if (fixed === (body.validDays !== undefined)) throw invalid("有效期需二选一：固定时段（validFrom 和 validTo）或领取后天数（validDays）", "validDays");
  if (fixed && (!body.validFrom || !body.validTo || Date.parse(body.validTo) <= Date.parse(body.validFrom))) throw invalid("固定有效期需要 validFrom 早于 validTo", "validTo");
  if ((body.channel === "exchange") !== (body.pointsCost !== undefined)) throw invalid("积分兑换券必须且只能由兑换渠道设置所需积分 pointsCost", "pointsCost");
  if ((body.channel === "job") !== (body.jobCode !== undefined)) throw invalid("任务发放券必须设置 jobCode（如 birthday）", "jobCode");
  if (body.perMemberLimit !== undefined && body.perMemberLimit > body.totalStock) throw invalid("每人限领不能超过总库存", "perMemberLimit");
}

/** What a coupon of this template is worth, as templates and issued coupons both show it. */
export function offerOf(t: CouponTemplate) {
  return { name: t.name, kind: t.kind, valueFen: t.valueFen, percentOff: t.percentOff, maxDiscountFen: t.maxDiscountFen, thresholdFen: t.thresholdFen, serviceName: t.serviceName, storeId: t.storeId };
}

export function toTemplateView(t: CouponTemplate) {
  return {
    id: t.id,
    ...offerOf(t),
    validFrom: t.validFrom?.toISOString() ?? null,
    validTo: t.validTo?.toISOString() ?? null,
    validDays: t.validDays,
    totalStock: t.totalStock,
    issuedCount: t.issuedCount,
    remainingStock: t.totalStock - t.issuedCount,
    perMemberLimit: t.perMemberLimit,
    tierCodes: t.tierCodes ? t.tierCodes.split(",") : null,
    channel: t.channel,
    pointsCost: t.pointsCost,
    status: t.status,
  };
}

async function checkTiers(m: EntityManager, tierCodes: string[] | null | undefined): Promise<void> {
  if (tierCodes && (await m.countBy(Tier, { code: In(tierCodes) })) !== tierCodes.length) throw invalid("tierCodes 中有不存在的等级", "tierCodes");
}

/** The columns a create (or edit) body sets, stock and ownership aside. */
function columnsOf(body: CreateTemplateBody) {
  return {
    name: body.name,
    kind: body.kind,
    valueFen: body.valueFen ?? null,
    percentOff: body.percentOff ?? null,
    maxDiscountFen: body.maxDiscountFen ?? null,
    thresholdFen: body.thresholdFen ?? 0,
    serviceName: body.serviceName ?? null,
    validFrom: body.validFrom ? new Date(body.validFrom) : null,
    validTo: body.validTo ? new Date(body.validTo) : null,
    validDays: body.validDays ?? null,
    perMemberLimit: body.perMemberLimit ?? null,
    tierCodes: body.tierCodes?.join(",") ?? null,
    channel: body.channel,
    pointsCost: body.pointsCost ?? null,
    jobCode: body.jobCode ?? null,
  };
}

/** Creates a template (managers: for their own store, or all stores when they cover all). */
export async function createTemplate(m: EntityManager, staff: StaffPrincipal, body: CreateTemplateBody) {
  checkTemplate(body);
  if (body.storeId !== undefined) assertStoreScope(staff, body.storeId);
  const storeId = body.storeId ?? staff.storeId;
  await checkTiers(m, body.tierCodes);
  const template = await m.save(m.create(CouponTemplate, { ...columnsOf(body), totalStock: body.totalStock, issuedCount: 0, storeId, status: "active", createdBy: staff.id, createdAt: new Date() }));
  await recordAudit(m, { actorType: "staff", actorId: staff.id, action: "coupon_template.created", targetType: "coupon_template", targetId: template.id, detail: { name: template.name } });
  return toTemplateView(template);
}

/** A template the staff member may change: their store's, or an all-store one for HQ staff. */
async function managedTemplate(m: EntityManager, staff: StaffPrincipal, templateId: number): Promise<CouponTemplate> {
  const template = await m.findOneBy(CouponTemplate, { id: templateId });
  if (!template) throw notFound("优惠券模板");
  if (template.storeId !== null) assertStoreScope(staff, template.storeId);
  else if (staff.storeId !== null) throw new AppError("STORE_SCOPE_FORBIDDEN", "全店通用的模板只能由总部管理");
  return template;
}

/** Pauses (停用) or resumes (启用) a template; issued coupons stay valid. */
export async function setTemplateStatus(m: EntityManager, staff: StaffPrincipal, templateId: number, status: "active" | "paused") {
  const template = await managedTemplate(m, staff, templateId);
  await m.update(CouponTemplate, { id: templateId }, { status });
  await recordAudit(m, { actorType: "staff", actorId: staff.id, action: `coupon_template.${status}`, targetType: "coupon_template", targetId: templateId });
  return toTemplateView({ ...template, status });
}

/** What an issued coupon is worth or cost: fixed once the first coupon is out (the coupon shows and refunds by its template). */
const ISSUE_FIXED = ["kind", "valueFen", "percentOff", "maxDiscountFen", "thresholdFen", "serviceName", "channel", "pointsCost", "jobCode"] as const;
const KIND_FIELDS = ["valueFen", "percentOff", "maxDiscountFen", "thresholdFen", "serviceName"] as const;

/** The template as a create body (absent for none), so an edit is checked by the same rules as a new template. */
function bodyOfTemplate(t: CouponTemplate): CreateTemplateBody {
  const body: Record<string, unknown> = {
    name: t.name, kind: t.kind, valueFen: t.valueFen, percentOff: t.percentOff, maxDiscountFen: t.maxDiscountFen, thresholdFen: t.thresholdFen || null, serviceName: t.serviceName,
    validFrom: t.validFrom?.toISOString(), validTo: t.validTo?.toISOString(), validDays: t.validDays, totalStock: t.totalStock, perMemberLimit: t.perMemberLimit,
    tierCodes: t.tierCodes?.split(","), channel: t.channel, pointsCost: t.pointsCost, jobCode: t.jobCode,
  };
  return Object.fromEntries(Object.entries(body).filter(([, v]) => v !== null && v !== undefined)) as unknown as CreateTemplateBody;
}

/** The template after the edit: a new kind or channel drops the old one's fields, one kind of validity replaces the other, null clears. */
function mergeEdit(current: CreateTemplateBody, edit: UpdateTemplateBody): CreateTemplateBody {
  const next: Record<string, unknown> = { ...current };
  if (edit.kind !== undefined && edit.kind !== current.kind) for (const f of KIND_FIELDS) delete next[f];
  if (edit.channel !== undefined && edit.channel !== current.channel) for (const f of ["pointsCost", "jobCode"]) delete next[f];
  if (edit.validDays !== undefined) {
    delete next.validFrom;
    delete next.validTo;
  }
  if (edit.validFrom !== undefined || edit.validTo !== undefined) delete next.validDays;
  for (const [k, v] of Object.entries(edit)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  return next as unknown as CreateTemplateBody;
}

const issuedProblem = (issued: number, what: string) => new AppError("COUPON_TEMPLATE_ISSUED", `该模板已发出 ${issued} 张券，${what}；如需调整请停用后新建模板`, { issuedCount: issued });
const stockProblem = (issued: number, totalStock: number) => new AppError("COUPON_STOCK_BELOW_ISSUED", `总库存不能少于已发出的 ${issued} 张`, { issuedCount: issued, totalStock });

/**
 * Edits a template in one guarded update: the stock never below what is already issued, the offer
 * and channel only while nothing is issued, a per-member limit added only before the first issue
 * (earlier claimers were not counted). A claim racing the edit is decided by the same row.
 */
export async function updateTemplate(m: EntityManager, staff: StaffPrincipal, templateId: number, edit: UpdateTemplateBody) {
  const template = await managedTemplate(m, staff, templateId);
  const current = bodyOfTemplate(template);
  const next = mergeEdit(current, edit);
  const changed = (f: string) => JSON.stringify((current as unknown as Record<string, unknown>)[f]) !== JSON.stringify((next as unknown as Record<string, unknown>)[f]);
  const fixedChange = ISSUE_FIXED.filter(changed);
  const limitAdded = template.perMemberLimit === null && next.perMemberLimit !== undefined;
  if (fixedChange.length && template.issuedCount > 0) throw issuedProblem(template.issuedCount, "券种、金额、发放方式和所需积分不能再改");
  if (limitAdded && template.issuedCount > 0) throw issuedProblem(template.issuedCount, "不能再新增每人限领（之前领取的没有计数）");
  if (edit.totalStock !== undefined && edit.totalStock < template.issuedCount) throw stockProblem(template.issuedCount, edit.totalStock);
  checkTemplate(next);
  await checkTiers(m, edit.tierCodes);

  const qb = m
    .createQueryBuilder()
    .update(CouponTemplate)
    // the stock is set only when asked, so an edit of the name never undoes another manager's stock change
    .set({ ...columnsOf(next), ...(edit.totalStock !== undefined ? { totalStock: edit.totalStock } : {}) })
    .where("id = :id", { id: templateId });
  if (edit.totalStock !== undefined) qb.andWhere("issuedCount <= :totalStock", { totalStock: edit.totalStock });
  if (fixedChange.length) qb.andWhere("issuedCount = 0");
  if (limitAdded) qb.andWhere("(perMemberLimit IS NOT NULL OR issuedCount = 0)");
  if (affectedOf(await qb.execute()) === 0) {
    // a claim got in between the read and the update: say which rule it broke
    const now = await m.findOneByOrFail(CouponTemplate, { id: templateId });
    if (edit.totalStock !== undefined && now.issuedCount > edit.totalStock) throw stockProblem(now.issuedCount, edit.totalStock);
    throw issuedProblem(now.issuedCount, fixedChange.length ? "券种、金额、发放方式和所需积分不能再改" : "不能再新增每人限领（之前领取的没有计数）");
  }
  const detail: Record<string, unknown> = { fields: Object.keys(edit) };
  if (edit.totalStock !== undefined) Object.assign(detail, { totalStockBefore: template.totalStock, totalStock: edit.totalStock });
  await recordAudit(m, { actorType: "staff", actorId: staff.id, action: "coupon_template.updated", targetType: "coupon_template", targetId: templateId, detail });
  return toTemplateView(await m.findOneByOrFail(CouponTemplate, { id: templateId }));
}

/** Deletes a template that never issued a coupon and no complaint's compensation names; otherwise it can only be paused. */
export async function deleteTemplate(m: EntityManager, staff: StaffPrincipal, templateId: number) {
  const template = await managedTemplate(m, staff, templateId);
  const deleted = await execute(
    m,
    "DELETE FROM coupon_template WHERE id = ? AND issuedCount = 0 AND NOT EXISTS (SELECT 1 FROM coupon WHERE templateId = ?) AND NOT EXISTS (SELECT 1 FROM complaint WHERE compensationTemplateId = ?)",
    [templateId, templateId, templateId],
  );
  if (deleted === 0) {
    const now = await m.findOneBy(CouponTemplate, { id: templateId });
    if (!now) throw notFound("优惠券模板");
    if (now.issuedCount > 0) throw issuedProblem(now.issuedCount, "不能删除");
    throw new AppError("COUPON_TEMPLATE_IN_USE", "该模板已被投诉处理的补偿方案使用，不能删除；可以停用");
  }
  await recordAudit(m, { actorType: "staff", actorId: staff.id, action: "coupon_template.deleted", targetType: "coupon_template", targetId: templateId, detail: { name: template.name } });
  return { id: templateId, deleted: true };
}

/** Templates the staff member manages: their store's and the all-store ones (everything for HQ). */
export async function listTemplates(m: EntityManager, staff: StaffPrincipal) {
  const qb = m.createQueryBuilder(CouponTemplate, "t").orderBy("t.id", "DESC");
  if (staff.storeId !== null) qb.where("t.storeId = :storeId OR t.storeId IS NULL", { storeId: staff.storeId });
  return (await qb.getMany()).map(toTemplateView);
}

const TEMPLATE_COLUMNS = "id, name, kind, valueFen, percentOff, maxDiscountFen, thresholdFen, serviceName, validFrom, validTo, validDays, totalStock, issuedCount, perMemberLimit, tierCodes, channel, pointsCost, storeId, status, jobCode, createdBy, createdAt";

/**
 * One template by id (null when there is none) and, when a member is named, that member's tier (null
 * when there is no such member) in the same statement: plain SQL and no entity hydration, for the claim
 * and exchange paths.
 */
export async function readTemplate(m: EntityManager, templateId: number, memberId?: number): Promise<{ template: CouponTemplate; memberTier: string | null } | null> {
  const tier = memberId === undefined ? "" : ", (SELECT tierCode FROM member WHERE id = ?) AS memberTier";
  const params = memberId === undefined ? [templateId] : [memberId, templateId];
  const [r] = (await m.query(`SELECT ${TEMPLATE_COLUMNS}${tier} FROM coupon_template WHERE id = ?`, params)) as Record<string, unknown>[];
  if (!r) return null;
  const int = (v: unknown) => (v === null ? null : Number(v));
  const date = (v: unknown) => (v === null ? null : fromSqlDate(v as Date | string));
  const { memberTier, ...columns } = r;
  const template = Object.assign(new CouponTemplate(), {
    ...(columns as unknown as CouponTemplate),
    id: Number(r.id),
    valueFen: int(r.valueFen),
    percentOff: int(r.percentOff),
    maxDiscountFen: int(r.maxDiscountFen),
    thresholdFen: Number(r.thresholdFen),
    validFrom: date(r.validFrom),
    validTo: date(r.validTo),
    validDays: int(r.validDays),
    totalStock: Number(r.totalStock),
    issuedCount: Number(r.issuedCount),
    perMemberLimit: int(r.perMemberLimit),
    pointsCost: int(r.pointsCost),
    storeId: int(r.storeId),
    createdBy: int(r.createdBy),
    createdAt: fromSqlDate(r.createdAt as Date | string),
  });
  return { template, memberTier: (memberTier as string | null | undefined) ?? null };
}
