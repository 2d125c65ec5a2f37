import { In, type EntityManager } from "typeorm";
import { recordAudit } from "../audit/audit.service.js";
import { fromSqlDate } from "../db/sql.js";
import { AppError, notFound } from "../http/app-error.js";
import { assertStoreScope } from "../http/auth.js";
import type { StaffPrincipal } from "../http/context.js";
import { Tier } from "../tiers/tiers.entity.js";
import { CouponTemplate } from "./coupons.entity.js";
import type { CreateTemplateBody } from "./coupons.schema.js";

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

/** Creates a template (managers: for their own store, or all stores when they cover all). */
export async function createTemplate(m: EntityManager, staff: StaffPrincipal, body: CreateTemplateBody) {
  checkTemplate(body);
  if (body.storeId !== undefined) assertStoreScope(staff, body.storeId);
  const storeId = body.storeId ?? staff.storeId;
  if (body.tierCodes) {
    const known = await m.countBy(Tier, { code: In(body.tierCodes) });
    if (known !== body.tierCodes.length) throw invalid("tierCodes 中有不存在的等级", "tierCodes");
  }
  const template = await m.save(
    m.create(CouponTemplate, {
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
      totalStock: body.totalStock,
      issuedCount: 0,
      perMemberLimit: body.perMemberLimit ?? null,
      tierCodes: body.tierCodes?.join(",") ?? null,
      channel: body.channel,
      pointsCost: body.pointsCost ?? null,
      jobCode: body.jobCode ?? null,
      storeId,
      status: "active",
      createdBy: staff.id,
      createdAt: new Date(),
    }),
  );
  await recordAudit(m, { actorType: "staff", actorId: staff.id, action: "coupon_template.created", targetType: "coupon_template", targetId: template.id, detail: { name: template.name } });
  return toTemplateView(template);
}

/** Pauses or resumes a template; issued coupons stay valid. */
export async function setTemplateStatus(m: EntityManager, staff: StaffPrincipal, templateId: number, status: "active" | "paused") {
  const template = await m.findOneBy(CouponTemplate, { id: templateId });
  if (!template) throw notFound("优惠券模板");
  if (template.storeId !== null) assertStoreScope(staff, template.storeId);
  else if (staff.storeId !== null) throw new AppError("STORE_SCOPE_FORBIDDEN", "全店通用的模板只能由总部管理");
  await m.update(CouponTemplate, { id: templateId }, { status });
  await recordAudit(m, { actorType: "staff", actorId: staff.id, action: `coupon_template.${status}`, targetType: "coupon_template", targetId: templateId });
  return toTemplateView({ ...template, status });
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
