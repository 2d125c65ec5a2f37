import type { Database } from "../db/database.js";
import { execute, sqlDate } from "../db/sql.js";
import { BotHandoff } from "./bot.entity.js";
import { ANSWER_WITHIN_MS, promisedBy, relay, TEXTS } from "./handoff-texts.js";

/**
 * Every minute: a member whose handoff no agent answered within 10 minutes is told, once, when to
 * expect an answer. A CAS on busyNoticeAt and the message's dedupe key make reruns send nothing new.
 */
export async function handoffBusyNotices(db: Database, at: Date): Promise<{ notified: number }> {
  const rows = (await db.read((m) =>
    m.query("SELECT id FROM bot_handoff WHERE status = 'open' AND firstAgentReplyAt IS NULL AND busyNoticeAt IS NULL AND openedAt <= ? ORDER BY id LIMIT 500", [sqlDate(m, new Date(at.getTime() - ANSWER_WITHIN_MS))]),
  )) as { id: number }[];
  let notified = 0;
  for (const { id } of rows) {
    const sent = await db.tx(async (m) => {
      const won = await execute(m, "UPDATE bot_handoff SET busyNoticeAt = ? WHERE id = ? AND status = 'open' AND firstAgentReplyAt IS NULL AND busyNoticeAt IS NULL", [sqlDate(m, at), id]);
      if (won !== 1) return false;
      const h = await m.findOneByOrFail(BotHandoff, { id });
      return relay(m, { memberId: h.memberId }, h.storeId, TEXTS.busy(await promisedBy(m, h, at)), `ho:${h.id}:busy`, at);
    });
    if (sent) notified++;
  }
  return { notified };
}
