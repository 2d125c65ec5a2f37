import { pagingFields, type Paging } from "../http/common.schema.js";
import { CATEGORY_CODES, type Category } from "./categories.js";

const text = (max: number) => ({ type: "string", minLength: 1, maxLength: max }) as const;

/** The investigation report's fields (调查报告); all six are required to resolve, checked by the service so a missing one is COMPLAINT_INVESTIGATION_REQUIRED. */
export const INVESTIGATION_FIELDS = ["cause", "course", "responsible", "conclusion", "corrective", "preventive"] as const;
export type Investigation = Record<(typeof INVESTIGATION_FIELDS)[number], string>;
export const INVESTIGATION_NAMES: Investigation = { cause: "投诉原因", course: "事情经过", responsible: "责任人或责任部门", conclusion: "调查结论", corrective: "纠正措施", preventive: "预防措施" };

export type CompensationInput = { type: "coupon"; templateId: number } | { type: "points"; points: number };

const compensation = {
  oneOf: [
    { type: "object", additionalProperties: false, required: ["type", "templateId"], properties: { type: { type: "string", const: "coupon" }, templateId: { type: "integer", minimum: 1 } } },
    { type: "object", additionalProperties: false, required: ["type", "points"], properties: { type: { type: "string", const: "points" }, points: { type: "integer", minimum: 1, maximum: 10_000_000 } } },
  ],
} as const;

export const resolveBody = {
  type: "object",
  additionalProperties: false,
  required: ["reply"],
  properties: {
    investigation: { type: "object", additionalProperties: false, properties: Object.fromEntries(INVESTIGATION_FIELDS.map((f) => [f, { type: "string", maxLength: 1000 }])) },
    reply: { ...text(2000), pattern: "\\S" },
    compensation,
  },
} as const;
export interface ResolveBody {
  investigation?: Partial<Investigation>;
  reply: string;
  compensation?: CompensationInput;
}

export const approvalBody = { type: "object", additionalProperties: false, required: ["approve"], properties: { approve: { type: "boolean" }, note: text(500) } } as const;
export interface ApprovalBody {
  approve: boolean;
  note?: string;
}

export const RETURN_VISIT_OUTCOMES = { reached: "已联系到客户", no_answer: "无人接听", wrong_number: "号码错误", messaged: "已发送消息" } as const;
export const returnVisitBody = {
  type: "object",
  additionalProperties: false,
  required: ["method", "outcome"],
  properties: { method: { type: "string", enum: ["call", "message"] }, outcome: { type: "string", enum: Object.keys(RETURN_VISIT_OUTCOMES) }, note: text(500) },
} as const;
export interface ReturnVisitBody {
  method: "call" | "message";
  outcome: keyof typeof RETURN_VISIT_OUTCOMES;
  note?: string;
}

export const surveyBody = {
  type: "object",
  additionalProperties: false,
  required: ["rating", "solved"],
  properties: { rating: { type: "integer", minimum: 1, maximum: 5 }, solved: { type: "boolean" }, comment: { type: "string", maxLength: 500 } },
} as const;
export interface SurveyBody {
  rating: number;
  solved: boolean;
  comment?: string;
}

export const caseBody = { type: "object", additionalProperties: false, required: ["title"], properties: { title: { ...text(100), pattern: "\\S" } } } as const;

export const caseQuery = {
  type: "object",
  additionalProperties: false,
  properties: { ...pagingFields, category: { type: "string", enum: CATEGORY_CODES }, q: { type: "string", minLength: 1, maxLength: 50 } },
} as const;
export interface CaseQuery extends Paging {
  category?: Category;
  q?: string;
}
