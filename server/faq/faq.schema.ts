import { pagingFields, type Paging } from "../http/common.schema.js";
import type { KnowledgeBase } from "./matcher.js";

const text = (max: number) => ({ type: "string", minLength: 1, maxLength: max, pattern: "\\S" }) as const;

/** FAQ ids are stable slugs ("hours", "book_maint") that the bot, the help page and exports refer to. */
export const FAQ_ID_PATTERN = "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$";
export const QUESTION_MAX = 200;
export const ANSWER_MAX = 2000;
export const ALTERNATES_MAX = 50;
/** a knowledge base holds at most this many FAQs (the matcher is benchmarked at 500) */
export const FAQS_MAX = 2000;

const faqId = { type: "string", pattern: FAQ_ID_PATTERN, maxLength: 64 } as const;
const alternates = { type: "array", maxItems: ALTERNATES_MAX, items: text(QUESTION_MAX) } as const;
const faqFields = { question: text(QUESTION_MAX), alternates, answer: text(ANSWER_MAX) } as const;

export const faqParams = { type: "object", additionalProperties: false, required: ["id"], properties: { id: faqId } } as const;
export interface FaqParams {
  id: string;
}

export const createFaqBody = { type: "object", additionalProperties: false, required: ["id", "question", "answer"], properties: { id: faqId, ...faqFields, active: { type: "boolean" } } } as const;
export interface CreateFaqBody {
  id: string;
  question: string;
  alternates?: string[];
  answer: string;
  active?: boolean;
}

export const updateFaqBody = { type: "object", additionalProperties: false, minProperties: 1, properties: { ...faqFields, active: { type: "boolean" } } } as const;
export type UpdateFaqBody = Partial<Omit<CreateFaqBody, "id">>;

export const listFaqQuery = {
  type: "object",
  additionalProperties: false,
  properties: { active: { type: "boolean" }, q: { type: "string", minLength: 1, maxLength: 100 }, ...pagingFields },
} as const;
export interface ListFaqQuery extends Paging {
  active?: boolean;
  /** words (space-separated) that must each appear in the question, an alternate or the answer */
  q?: string;
}

/** The import/export file: exactly the format of ../shared/faq/dev-kb.json. */
export const knowledgeBaseBody = {
  type: "object",
  additionalProperties: false,
  required: ["name", "faqs"],
  properties: {
    name: text(64),
    faqs: {
      type: "array",
      maxItems: FAQS_MAX,
      items: { type: "object", additionalProperties: false, required: ["id", "question", "alternates", "answer"], properties: { id: faqId, ...faqFields } },
    },
  },
} as const;
export type KnowledgeBaseBody = KnowledgeBase;

export const matchBody = { type: "object", additionalProperties: false, required: ["q"], properties: { q: { type: "string", minLength: 1, maxLength: QUESTION_MAX } } } as const;
export interface MatchBody {
  q: string;
}

export const missParams = { type: "object", additionalProperties: false, required: ["id"], properties: { id: { type: "integer", minimum: 1 } } } as const;
export interface MissParams {
  id: number;
}

export const resolveMissBody = { type: "object", additionalProperties: false, properties: { faqId } } as const;
export interface ResolveMissBody {
  /** absent: dismiss the miss; present: add its text as an alternate of this FAQ */
  faqId?: string;
}

export const listMissQuery = { type: "object", additionalProperties: false, properties: { ...pagingFields } } as const;
export type ListMissQuery = Paging;
