import type { EntityManager } from "typeorm";
import type { Database } from "../db/database.js";
import { affectedOf, retryAfterUniqueRace } from "../db/errors.js";
import { AppError } from "../http/app-error.js";
import type { Paging } from "../http/common.schema.js";
import { FaqMiss } from "./faq.entity.js";
import { addAlternate } from "./faq.service.js";
import { normalize } from "./text.js";

/** What misses are counted by: the normalized text without spaces ("請問，營業時間？" and "请问营业时间" are one). */
export const missKeyOf = (text: string) => normalize(text).replace(/\s+/g, "").slice(0, 200);

/**
 * Counts a question the matcher did not answer outright ("none", or "choices": the KB needs a better
 * phrasing there too). A dismissed text stays dismissed; a resolved one that misses again reopens.
 */
export async function recordMiss(db: Database, text: string, kind: "none" | "choices", now: Date): Promise<void> {
  const textKey = missKeyOf(text);
  if (!textKey) return;
  const sample = text.trim().slice(0, 200);
  await retryAfterUniqueRace(() =>
    db.tx(async (m) => {
      const seen = await m
        .createQueryBuilder()
        .update(FaqMiss)
        .set({ count: () => "count + 1", text: sample, lastKind: kind, lastSeenAt: now, status: () => "CASE WHEN status = 'resolved' THEN 'open' ELSE status END" })
        .where("textKey = :textKey", { textKey })
        .execute();
      if (affectedOf(seen) === 0) await m.insert(FaqMiss, { textKey, text: sample, count: 1, lastKind: kind, status: "open", faqId: null, resolvedBy: null, firstSeenAt: now, lastSeenAt: now });
    }),
  );
}

export interface MissView {
  id: number;
  text: string;
  count: number;
  lastKind: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

/** Open misses, most frequent first (then most recent). */
export async function listMisses(m: EntityManager, paging: Paging): Promise<{ total: number; items: MissView[] }> {
  const [rows, total] = await m.findAndCount(FaqMiss, { where: { status: "open" }, order: { count: "DESC", lastSeenAt: "DESC", id: "ASC" }, skip: (paging.page - 1) * paging.pageSize, take: paging.pageSize });
  return { total, items: rows.map(({ id, text, count, lastKind, firstSeenAt, lastSeenAt }) => ({ id, text, count, lastKind, firstSeenAt, lastSeenAt })) };
}

/** Dismisses an open miss, or (faqId given) adds its text as an alternate of that FAQ and marks it resolved. */
export async function resolveMiss(m: EntityManager, id: number, faqId: string | undefined, staffId: number, now: Date): Promise<{ id: number; status: "dismissed" | "resolved"; faqId: string | null; added: boolean }> {
  const miss = await m.findOneBy(FaqMiss, { id });
  if (!miss) throw new AppError("FAQ_MISS_NOT_FOUND", "未找到该条未解答问题", { id });
  const status = faqId ? "resolved" : "dismissed";
  const closed = await m.update(FaqMiss, { id, status: "open" }, { status, faqId: faqId ?? null, resolvedBy: staffId });
  if (affectedOf(closed) === 0) throw new AppError("FAQ_MISS_CLOSED", "该问题已处理过", { id, status: miss.status });
  const added = faqId ? await addAlternate(m, faqId, miss.text, (a, b) => missKeyOf(a) === missKeyOf(b), now) : false;
  return { id, status, faqId: faqId ?? null, added };
}
