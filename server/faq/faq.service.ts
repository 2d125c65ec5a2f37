import { Not, In, type EntityManager } from "typeorm";
import { affectedOf } from "../db/errors.js";
import { AppError } from "../http/app-error.js";
import { ALTERNATES_MAX, type CreateFaqBody, type ListFaqQuery, type UpdateFaqBody } from "./faq.schema.js";
import { Faq, FaqKnowledgeBase } from "./faq.entity.js";
import type { FaqEntry, KnowledgeBase } from "./matcher.js";

const KB_ID = 1;
export const DEFAULT_KB_NAME = "常见问题";

export interface FaqView {
  id: string;
  question: string;
  alternates: string[];
  answer: string;
  active: boolean;
  updatedAt: Date;
}

export const entryOf = (f: Faq): FaqEntry => ({ id: f.id, question: f.question, alternates: JSON.parse(f.alternates) as string[], answer: f.answer });
const viewOf = (f: Faq): FaqView => ({ ...entryOf(f), active: f.active, updatedAt: f.updatedAt });
const faqNotFound = (id: string) => new AppError("FAQ_NOT_FOUND", "常见问题不存在", { id });

/** The knowledge base's name and version (version 0 and the default name before anything was stored). */
export async function knowledgeBaseOf(m: EntityManager): Promise<{ name: string; version: number }> {
  const row = await m.findOneBy(FaqKnowledgeBase, { id: KB_ID });
  return { name: row?.name ?? DEFAULT_KB_NAME, version: row?.version ?? 0 };
}

/** Bumps the version (and sets the name) after any change, so every instance rebuilds its matcher. */
async function touchKnowledgeBase(m: EntityManager, now: Date, name?: string): Promise<void> {
  const updated = await m.update(FaqKnowledgeBase, { id: KB_ID }, { version: () => "version + 1", updatedAt: now, ...(name ? { name } : {}) });
  if (affectedOf(updated) === 0) await m.insert(FaqKnowledgeBase, { id: KB_ID, name: name ?? DEFAULT_KB_NAME, version: 1, updatedAt: now });
}

/** `%word%` for LIKE … ESCAPE '!' */
const containing = (word: string) => `%${word.replace(/[!%_]/g, "!$&")}%`;

/** Staff list in knowledge-base order, a page at a time: optionally only active or inactive ones, and only those containing every word of `q`. */
export async function listFaqs(m: EntityManager, query: ListFaqQuery): Promise<{ name: string; version: number; items: FaqView[]; total: number; page: number; pageSize: number }> {
  const qb = m.createQueryBuilder(Faq, "f");
  if (query.active !== undefined) qb.andWhere("f.active = :active", { active: query.active });
  const words = (query.q ?? "").split(/\s+/).filter(Boolean).slice(0, 5);
  // alternates is a JSON array of plain strings, so a word inside one shows in its text as written
  words.forEach((word, i) => qb.andWhere(`(f.question LIKE :w${i} ESCAPE '!' OR f.alternates LIKE :w${i} ESCAPE '!' OR f.answer LIKE :w${i} ESCAPE '!')`, { [`w${i}`]: containing(word) }));
  const [rows, total] = await qb.orderBy("f.position", "ASC").addOrderBy("f.id", "ASC").skip((query.page - 1) * query.pageSize).take(query.pageSize).getManyAndCount();
  return { ...(await knowledgeBaseOf(m)), items: rows.map(viewOf), total, page: query.page, pageSize: query.pageSize };
}

/** The active FAQs in order, as the matcher takes them. */
export async function activeFaqs(m: EntityManager): Promise<FaqEntry[]> {
  return (await m.find(Faq, { where: { active: true }, order: { position: "ASC", id: "ASC" } })).map(entryOf);
}

/** One active FAQ for members (the bot's numbered choice, the help page), or FAQ_NOT_FOUND. */
export async function publicFaq(m: EntityManager, id: string): Promise<{ id: string; question: string; answer: string }> {
  const faq = await m.findOneBy(Faq, { id, active: true });
  if (!faq) throw faqNotFound(id);
  return { id: faq.id, question: faq.question, answer: faq.answer };
}

/** Adds an FAQ at the end of the knowledge base; its id must be new (also among inactive ones). */
export async function createFaq(m: EntityManager, body: CreateFaqBody, now: Date): Promise<FaqView> {
  if (await m.existsBy(Faq, { id: body.id })) throw new AppError("FAQ_ID_TAKEN", "该编号的常见问题已存在", { id: body.id });
  const last = await m.findOne(Faq, { where: {}, order: { position: "DESC" } });
  const faq = m.create(Faq, { id: body.id, question: body.question.trim(), alternates: JSON.stringify(cleanAlternates(body.alternates ?? [])), answer: body.answer.trim(), active: body.active ?? true, position: (last?.position ?? -1) + 1, updatedAt: now });
  await m.insert(Faq, faq);
  await touchKnowledgeBase(m, now);
  return viewOf(faq);
}

/** Changes question, alternates, answer or active (reactivating a deactivated FAQ too). */
export async function updateFaq(m: EntityManager, id: string, body: UpdateFaqBody, now: Date): Promise<FaqView> {
  const faq = await m.findOneBy(Faq, { id });
  if (!faq) throw faqNotFound(id);
  if (body.question !== undefined) faq.question = body.question.trim();
  if (body.alternates !== undefined) faq.alternates = JSON.stringify(cleanAlternates(body.alternates));
  if (body.answer !== undefined) faq.answer = body.answer.trim();
  if (body.active !== undefined) faq.active = body.active;
  faq.updatedAt = now;
  await m.save(faq);
  await touchKnowledgeBase(m, now);
  return viewOf(faq);
}

/** Takes an FAQ out of matching and exports; it stays listed for staff and can be reactivated. */
export function deactivateFaq(m: EntityManager, id: string, now: Date): Promise<FaqView> {
  return updateFaq(m, id, { active: false }, now);
}

/**
 * Replaces the knowledge base with the file: its name, exactly its FAQs in its order (new ids added,
 * known ids overwritten and reactivated, ids missing from the file deleted). Replace rather than merge,
 * so an export edited offline and imported again is the whole truth and the round trip is exact.
 */
export async function importKnowledgeBase(m: EntityManager, kb: KnowledgeBase, now: Date): Promise<{ name: string; imported: number; removed: number }> {
  const seen = new Set<string>();
  for (const faq of kb.faqs) {
    if (seen.has(faq.id)) throw new AppError("FAQ_DUPLICATE_ID", `导入文件中编号 ${faq.id} 重复`, { id: faq.id });
    seen.add(faq.id);
  }
  const stale = m.createQueryBuilder().delete().from(Faq);
  if (seen.size) stale.where({ id: Not(In([...seen])) });
  const removed = affectedOf(await stale.execute());
  const rows = kb.faqs.map((faq, position) => ({ id: faq.id, question: faq.question, alternates: JSON.stringify(faq.alternates), answer: faq.answer, active: true, position, updatedAt: now }));
  // chunks keep each statement well under the drivers' parameter limits
  for (let i = 0; i < rows.length; i += 200) await m.upsert(Faq, rows.slice(i, i + 200), ["id"]);
  await touchKnowledgeBase(m, now, kb.name);
  return { name: kb.name, imported: rows.length, removed };
}

/** The active FAQs in the import format: { name, faqs: [{ id, question, alternates, answer }] }. */
export async function exportKnowledgeBase(m: EntityManager): Promise<KnowledgeBase> {
  return { name: (await knowledgeBaseOf(m)).name, faqs: await activeFaqs(m) };
}

/** Adds a phrasing to an FAQ's alternates unless one with the same text is there; false when it was. */
export async function addAlternate(m: EntityManager, id: string, text: string, sameText: (a: string, b: string) => boolean, now: Date): Promise<boolean> {
  const faq = await m.findOneBy(Faq, { id });
  if (!faq) throw faqNotFound(id);
  const alternates = JSON.parse(faq.alternates) as string[];
  if ([faq.question, ...alternates].some((a) => sameText(a, text))) return false;
  if (alternates.length >= ALTERNATES_MAX) throw new AppError("FAQ_ALTERNATES_FULL", "该常见问题的相似问法已达上限（50 条）", { id });
  await updateFaq(m, id, { alternates: [...alternates, text] }, now);
  return true;
}

function cleanAlternates(alternates: string[]): string[] {
  return [...new Set(alternates.map((a) => a.trim()).filter(Boolean))];
}
