import { pagingFields, type Paging } from "../http/common.schema.js";

/** A member named by the code on their card or by id. */
const memberRef = {
  memberCode: { type: "string", pattern: "^[0-9A-Za-z]{6,16}$" },
  memberId: { type: "integer", minimum: 1 },
} as const;
export interface MemberRef {
  memberCode?: string;
  memberId?: number;
}

export const consumptionBody = {
  type: "object",
  additionalProperties: false,
  required: ["amountFen", "category", "orderNo"],
  properties: {
    ...memberRef,
    /** fen, at most 1 000 000 yuan per order */
    amountFen: { type: "integer", minimum: 1, maximum: 100_000_000 },
    category: { type: "string", pattern: "^[a-z_]{2,24}$" },
    orderNo: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" },
    storeId: { type: "integer", minimum: 1 },
  },
} as const;
export interface ConsumptionBody extends MemberRef {
  amountFen: number;
  category: string;
  orderNo: string;
  storeId?: number;
}

export const orderNoParams = {
  type: "object",
  additionalProperties: false,
  required: ["orderNo"],
  properties: { orderNo: { type: "string", pattern: "^[A-Za-z0-9_-]{1,64}$" } },
} as const;

export const reasonBody = {
  type: "object",
  additionalProperties: false,
  required: ["reason"],
  properties: { reason: { type: "string", minLength: 2, maxLength: 200 } },
} as const;

export const actionBody = {
  type: "object",
  additionalProperties: false,
  required: ["rule", "reference"],
  properties: {
    ...memberRef,
    rule: { type: "string", pattern: "^[a-z_]{2,32}$" },
    /** what the action is about (review id, referred member id, event id); credited once per rule and reference */
    reference: { type: "string", pattern: "^[A-Za-z0-9_:.-]{1,64}$" },
  },
} as const;
export interface ActionBody extends MemberRef {
  rule: string;
  reference: string;
}

export const adjustmentBody = {
  type: "object",
  additionalProperties: false,
  required: ["memberId", "delta", "reason"],
  properties: {
    memberId: { type: "integer", minimum: 1 },
    delta: { type: "integer", minimum: -1_000_000, maximum: 1_000_000, not: { const: 0 } },
    reason: { type: "string", minLength: 2, maxLength: 200 },
  },
} as const;
export interface AdjustmentBody {
  memberId: number;
  delta: number;
  reason: string;
}

export const ledgerQuery = {
  type: "object",
  additionalProperties: false,
  properties: { ...pagingFields },
} as const;
export type LedgerQuery = Paging;
