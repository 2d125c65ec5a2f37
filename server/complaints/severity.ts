import { Converter } from "opencc-js/t2cn";
import type { EntityManager } from "typeorm";
import type { ComplaintsConfig } from "../config.js";
import { Complaint } from "./complaints.entity.js";
import type { Demand } from "./categories.js";

// Hong Kong and Taiwan forms both reach the Simplified words of the list (媒體/記者/換車…)
const fromHongKong = Converter({ from: "hk", to: "cn" });
const fromTaiwan = Converter({ from: "tw", to: "cn" });

/** Text as the word list is matched against it: Simplified, full-width folded (NFKC), lower case, no spaces. */
export function normalizeText(text: string): string {
  return fromTaiwan(fromHongKong(text.normalize("NFKC"))).toLowerCase().replace(/\s+/g, "");
}

/** The configured major words that occur in the text. */
export function majorWordsIn(config: ComplaintsConfig, text: string): string[] {
  const normal = normalizeText(text);
  return config.majorWords.filter((word) => normal.includes(normalizeText(word)));
}

/**
 * Why a new complaint is major (empty: it is not): a second complaint by the same member (or caller's
 * phone) within the repeat window, a demand to return or exchange the car, or a word from the list.
 */
export async function majorReasonsOf(
  m: EntityManager,
  config: ComplaintsConfig,
  c: { memberId: number | null; complainantPhone: string | null; demand: Demand; content: string },
  now: Date,
): Promise<string[]> {
  const reasons: string[] = [];
  const since = new Date(now.getTime() - config.repeatDays * 86_400_000);
  const earlier = m.createQueryBuilder(Complaint, "c").where("c.receivedAt >= :since", { since });
  if (c.memberId !== null) earlier.andWhere("c.memberId = :memberId", { memberId: c.memberId });
  else if (c.complainantPhone) earlier.andWhere("c.complainantPhone = :phone", { phone: c.complainantPhone });
  if ((c.memberId !== null || c.complainantPhone) && (await earlier.getExists())) reasons.push("repeat");
  if (c.demand === "return_exchange") reasons.push("return_exchange");
  for (const word of majorWordsIn(config, c.content)) reasons.push(`word:${word}`);
  return reasons;
}

/** What staff read for a major reason. */
export function majorReasonName(reason: string): string {
  if (reason === "repeat") return "30 天内重复投诉";
  if (reason === "return_exchange") return "要求退车或换车";
  if (reason.startsWith("word:")) return `敏感词：${reason.slice(5)}`;
  if (reason.startsWith("flag:")) return `人工标记：${reason.slice(5)}`;
  return reason;
}
