import { readFileSync } from "node:fs";
import type { Database } from "../db/database.js";
import { FaqKnowledgeBase } from "./faq.entity.js";
import { importKnowledgeBase } from "./faq.service.js";
import type { KnowledgeBase } from "./matcher.js";

/** Demo data: a small after-sales KB for the demo stores, loaded once into an empty knowledge base. */
export async function seedDemoFaqs(db: Database): Promise<boolean> {
  const kb = JSON.parse(readFileSync(new URL("./demo-kb.json", import.meta.url), "utf8")) as KnowledgeBase;
  return db.tx(async (m) => {
    if (await m.existsBy(FaqKnowledgeBase, { id: 1 })) return false;
    await importKnowledgeBase(m, kb, new Date());
    return true;
  });
}
