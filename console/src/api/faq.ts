// 知识库: FAQs, import/export and the misses (server/faq/faq.routes.ts).
import { get, request, post } from "./request.js";
import type { BodyOf, QueryOf } from "./types.js";

export type CreateFaqBody = BodyOf<"/api/v1/staff/faqs", "post">;
export type UpdateFaqBody = BodyOf<"/api/v1/staff/faqs/{id}", "patch">;
export type KnowledgeBase = BodyOf<"/api/v1/staff/faqs/import", "post">;
export type FaqQuery = QueryOf<"/api/v1/staff/faqs", "get">;
export type MissQuery = QueryOf<"/api/v1/staff/faq/misses", "get">;

export interface Faq {
  id: string;
  question: string;
  alternates: string[];
  answer: string;
  active: boolean;
  updatedAt?: string;
}
export interface FaqList {
  name: string;
  version: number;
  items: Faq[];
  total: number;
}
export interface FaqMiss {
  id: number;
  text: string;
  count: number;
  lastKind: string;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** A page of the FAQs (knowledge-base order), filtered on the server. */
export const fetchFaqs = (query: FaqQuery) => get<FaqList>("/staff/faqs", query, true);
export const createFaq = (body: CreateFaqBody) => post<Faq>("/staff/faqs", body, { quiet: true });
export const updateFaq = (id: string, body: UpdateFaqBody) => request<Faq>("PATCH", `/staff/faqs/${encodeURIComponent(id)}`, { body, quiet: true });
export const deactivateFaq = (id: string) => request<unknown>("DELETE", `/staff/faqs/${encodeURIComponent(id)}`);
export const exportFaqs = () => get<KnowledgeBase>("/staff/faqs/export");
export const importFaqs = (body: KnowledgeBase) => post<unknown>("/staff/faqs/import", body);
export const fetchMisses = (query: MissQuery) => get<{ total: number; items: FaqMiss[] }>("/staff/faq/misses", query, true);
/** Adds the miss as a phrasing of the FAQ, or dismisses it when no FAQ is given. */
export const resolveMiss = (id: number, faqId?: string) => post<{ id: number; status: "dismissed" | "resolved"; faqId: string | null; added: boolean }>(`/staff/faq/misses/${id}/resolve`, faqId ? { faqId } : {});
