import type { EntityManager } from "typeorm";
import { execute, sqlDate, updateElseInsert } from "../db/sql.js";
import { AppError } from "../http/app-error.js";

export const DIALOG_TTL_MS = 30 * 60_000;
const STATE_MAX_CHARS = 8000;

/** Keeps the bot's multi-step dialog with a contact for 30 minutes (a bot restart resumes it); null clears it. */
export async function saveDialog(m: EntityManager, account: string, contactId: string, state: object | null, now: Date): Promise<void> {
  if (state === null) return void (await execute(m, "DELETE FROM bot_dialog WHERE botAccount = ? AND contactId = ?", [account, contactId]));
  const text = JSON.stringify(state);
  if (text.length > STATE_MAX_CHARS) throw new AppError("DIALOG_TOO_LARGE", "对话状态过大", { maxChars: STATE_MAX_CHARS });
  const expiresAt = new Date(now.getTime() + DIALOG_TTL_MS);
  await updateElseInsert(m, "UPDATE bot_dialog SET state = ?, expiresAt = ? WHERE botAccount = ? AND contactId = ?", [text, sqlDate(m, expiresAt), account, contactId], "bot_dialog", { botAccount: account, contactId, state: text, expiresAt });
}
