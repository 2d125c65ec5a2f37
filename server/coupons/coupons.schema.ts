import { pagingFields, type Paging } from "../http/common.schema.js";
import type { CouponChannel, CouponKind, CouponStatus } from "./coupons.entity.js";

const fen = { type: "integer", minimum: 1, maximum: 100_000_000 } as const;

export const createTemplateBody = {
  type: "object",
  additionalProperties: false,
  required: ["name", "kind", "totalStock", "channel"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 64 },
    kind: { type: "string", enum: ["cash", "percent", "threshold", "service"] },
    valueFen: fen,
    percentOff: { type: "integer", minimum: 1, maximum: 99 },
    maxDiscountFen: fen,
    thresholdFen: fen,
    serviceName: { type: "string", minLength: 1, maxLength: 64 },
    validFrom: { type: "string", format: "date-time" },
    validTo: { type: "string", format: "date-time" },
    validDays: { type: "integer", minimum: 1, maximum: 3650 },
    totalStock: { type: "integer", minimum: 1, maximum: 10_000_000 },
    perMemberLimit: { type: "integer", minimum: 1, maximum: 1000 },
    tierCodes: { type: "array", minItems: 1, maxItems: 10, uniqueItems: true, items: { type: "string", pattern: "^[a-z_]{2,16}$" } },
    channel: { type: "string", enum: ["claim", "exchange", "staff", "job"] },
    pointsCost: { type: "integer", minimum: 1, maximum: 10_000_000 },
    jobCode: { type: "string", enum: ["birthday"] },
    storeId: { type: "integer", minimum: 1 },
  },
} as const;
export interface CreateTemplateBody {
  name: string;
  kind: CouponKind;
  valueFen?: number;
  percentOff?: number;
  maxDiscountFen?: number;
  thresholdFen?: number;
  serviceName?: string;
  validFrom?: string;
  validTo?: string;
  validDays?: number;
  totalStock: number;
  perMemberLimit?: number;
  tierCodes?: string[];
  channel: CouponChannel;
  pointsCost?: number;
  jobCode?: "birthday";
  storeId?: number;
}

/** Null clears the field (no cap, no per-member limit, every tier). */
const orNull = <T extends { type: string }>(schema: T) => ({ ...schema, type: [schema.type, "null"] }) as const;
const createFields = createTemplateBody.properties;

/**
 * A template's edit. The stock, limit, tiers, validity (for coupons issued from now on) and name can
 * change at any time; what an issued coupon is worth or cost (kind, amounts, channel, points) only
 * while none has been issued.
 */
export const updateTemplateBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: createFields.name,
    kind: createFields.kind,
    valueFen: createFields.valueFen,
    percentOff: createFields.percentOff,
    maxDiscountFen: orNull(createFields.maxDiscountFen),
    thresholdFen: createFields.thresholdFen,
    serviceName: createFields.serviceName,
    validFrom: createFields.validFrom,
    validTo: createFields.validTo,
    validDays: createFields.validDays,
    totalStock: createFields.totalStock,
    perMemberLimit: orNull(createFields.perMemberLimit),
    tierCodes: orNull(createFields.tierCodes),
    channel: createFields.channel,
    pointsCost: createFields.pointsCost,
    jobCode: createFields.jobCode,
  },
} as const;
export type UpdateTemplateBody = Partial<Omit<CreateTemplateBody, "storeId" | "maxDiscountFen" | "perMemberLimit" | "tierCodes">> & {
  maxDiscountFen?: number | null;
  perMemberLimit?: number | null;
  tierCodes?: string[] | null;
};

export const myCouponsQuery = {
  type: "object",
  additionalProperties: false,
  properties: { status: { type: "string", enum: ["available", "used", "expired", "void"] }, ...pagingFields },
} as const;
export interface MyCouponsQuery extends Paging {
  status?: CouponStatus;
}

export const redeemBody = {
  type: "object",
  additionalProperties: false,
  required: ["code", "orderNo"],
  properties: {
    code: { type: "string", pattern: "^[0-9A-Za-z]{16}$" },
    orderNo: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
    /** fen; needed for threshold and percent coupons */
    orderAmountFen: fen,
    storeId: { type: "integer", minimum: 1 },
  },
} as const;
export interface RedeemBody {
  code: string;
  orderNo: string;
  orderAmountFen?: number;
  storeId?: number;
}

export const issueBody = {
  type: "object",
  additionalProperties: false,
  required: ["templateId", "note"],
  properties: {
    templateId: { type: "integer", minimum: 1 },
    memberCode: { type: "string", pattern: "^[0-9A-Za-z]{6,16}$" },
    memberId: { type: "integer", minimum: 1 },
    /** why: e.g. 投诉补偿（工单 C-1024） */
    note: { type: "string", minLength: 2, maxLength: 200 },
  },
} as const;
export interface IssueBody {
  templateId: number;
  memberCode?: string;
  memberId?: number;
  note: string;
}

export const couponCodeParams = {
  type: "object",
  additionalProperties: false,
  required: ["code"],
  properties: { code: { type: "string", pattern: "^[0-9A-Za-z]{16}$" } },
} as const;
