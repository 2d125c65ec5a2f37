import { request } from "./request";

export interface FaqItem {
  id: string;
  question: string;
  answer: string;
}

/** The server's matcher: one answer, up to 3 choices to pick from, a small-talk reply, or nothing understood. */
export type FaqMatch =
  | { kind: "answer"; faq: FaqItem; score: number }
  | { kind: "choices"; choices: { id: string; question: string }[]; score: number }
  | { kind: "greeting" | "thanks"; reply: string }
  | { kind: "none"; reply: string; score: number };

export interface StoreContact {
  id: number;
  name: string;
  address: string | null;
  phone: string | null;
}

export function matchFaq(q: string): Promise<FaqMatch> {
  return request<FaqMatch>("/api/v1/faq/match", { method: "POST", data: { q }, auth: false });
}

export async function fetchFaqItems(): Promise<FaqItem[]> {
  return (await request<{ items: FaqItem[] }>("/api/v1/faq/items", { auth: false })).items;
}

/** One FAQ, for a choice the member taps. */
export function fetchFaqItem(id: string): Promise<FaqItem> {
  return request<FaqItem>(`/api/v1/faq/items/${encodeURIComponent(id)}`, { auth: false });
}

/** The stores with their phones, for 联系人工. */
export function fetchStoreContacts(): Promise<StoreContact[]> {
  return request<StoreContact[]>("/api/v1/stores", { auth: false });
}
