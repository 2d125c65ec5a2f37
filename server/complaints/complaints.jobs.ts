import type { ComplaintsConfig } from "../config.js";
import type { Database } from "../db/database.js";
import { sqlDate } from "../db/sql.js";
import { closeUnanswered, surveyCutoff } from "./aftercare.service.js";

const BATCH = 200;

/**
 * Closes resolved complaints whose survey went unanswered for surveyDays, as of the firing's minute.
 * Keyset pages by id, one transaction (and one CAS) per complaint: a repeated or parallel run closes nothing twice.
 */
export async function closeUnansweredSurveys(db: Database, config: ComplaintsConfig, at: Date): Promise<{ closed: number }> {
  const cutoff = surveyCutoff(config, at);
  let closed = 0;
  for (let afterId = 0; ; ) {
    const rows = (await db.read((m) =>
      m.query(`SELECT id FROM complaint WHERE status = 'resolved' AND surveyedAt IS NULL AND resolvedAt < ? AND id > ? ORDER BY id LIMIT ${BATCH}`, [sqlDate(m, cutoff), afterId]),
    )) as { id: number }[];
    for (const row of rows) if (await db.tx((m) => closeUnanswered(m, config, Number(row.id), at))) closed++;
    if (rows.length < BATCH) return { closed };
    afterId = Number(rows[rows.length - 1].id);
  }
}
