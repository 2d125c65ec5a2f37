import type { Database } from "../db/database.js";
import { activeFaqs, knowledgeBaseOf } from "./faq.service.js";
import { FaqMatcher, type MatchResult } from "./matcher.js";
import { recordMiss } from "./miss.service.js";

// one matcher per database (tests run several apps in one process), rebuilt when the KB's version moves
const matchers = new WeakMap<Database, { version: number; matcher: FaqMatcher }>();

/** The matcher of the stored knowledge base: one small read per call, a rebuild only after a change. */
export async function currentMatcher(db: Database): Promise<FaqMatcher> {
  return db.read(async (m) => {
    const { version } = await knowledgeBaseOf(m);
    const cached = matchers.get(db);
    if (cached?.version === version) return cached.matcher;
    const matcher = FaqMatcher.build(await activeFaqs(m));
    matchers.set(db, { version, matcher });
    return matcher;
  });
}

/** Matches a member's question against the stored KB and logs what it could not answer outright. */
export async function answerQuestion(db: Database, q: string, now: Date): Promise<MatchResult> {
  const result = (await currentMatcher(db)).match(q);
  if (result.kind === "none" || result.kind === "choices") await recordMiss(db, q, result.kind, now);
  return result;
}
