import { createHmac, randomInt } from "node:crypto";
import type { EntityManager } from "typeorm";
import type { Database } from "../db/database.js";
import { execute, insertIgnore, sqlDate, updateElseInsert } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import { Member } from "../members/members.entity.js";
import { ContactBinding } from "../notify/notify.entity.js";
import { StaffAccount } from "../staff/staff.entity.js";
import { BotBindAttempt, BotBindCode } from "./bot.entity.js";

export type Subject = { type: "member" | "staff"; id: number };

export const CODE_TTL_MS = 10 * 60_000;
export const MAX_WRONG_CODES = 5;
export const LOCK_MS = 30 * 60_000;

/** Codes are kept as an HMAC under the server's secret: a copy of the table gives no usable code. */
const hashOf = (secret: string, code: string) => createHmac("sha256", secret).update(`bind:${code}`).digest("hex");

/**
 * A new 6-digit bind code for the member or staff member, valid 10 minutes; it replaces the subject's
 * previous one. Unique among live codes: the unique hash index refuses a clash, and the hashes of used
 * and expired codes are freed first; a clash with a live code draws again.
 */
export async function issueBindCode(db: Database, secret: string, subject: Subject, now: Date): Promise<{ code: string; expiresAt: string }> {
  const expiresAt = new Date(now.getTime() + CODE_TTL_MS);
  for (let attempt = 0; attempt < 20; attempt++) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, "0");
    const codeHash = hashOf(secret, code);
    const placed = await db.tx(async (m) => {
      await execute(m, "DELETE FROM bot_bind_code WHERE codeHash = ? AND (usedAt IS NOT NULL OR expiresAt <= ?)", [codeHash, sqlDate(m, now)]);
      if (await m.existsBy(BotBindCode, { codeHash })) return false; // another subject's live code
      return updateElseInsert(m, "UPDATE bot_bind_code SET codeHash = ?, expiresAt = ?, usedAt = NULL, createdAt = ? WHERE subjectType = ? AND subjectId = ?", [codeHash, sqlDate(m, expiresAt), sqlDate(m, now), subject.type, subject.id], "bot_bind_code", {
        subjectType: subject.type, subjectId: subject.id, codeHash, expiresAt, usedAt: null, createdAt: now,
      });
    });
    if (placed) return { code, expiresAt: expiresAt.toISOString() };
  }
  throw new AppError("BUSY", "系统繁忙，请稍后再试");
}

type Outcome = { ok: true; subject: Subject } | { ok: false; attemptsLeft: number; lockedUntil: Date | null } | { locked: Date };

/**
 * One check of a code sent by a contact. The check first takes a place on the contact's guarded
 * counter (failures < 5, under its row lock), so parallel wrong tries pass at most 5 checks and the
 * fifth alone sets the lock. A right code gives the place back, marks the code used (CAS) and writes
 * the binding, all in this one transaction.
 */
async function checkCode(m: EntityManager, secret: string, account: string, contactId: string, code: string, now: Date): Promise<Outcome> {
  const at = sqlDate(m, now);
  // a lock that ran out, or wrong tries 30 minutes old without a lock, are forgotten
  await execute(m, "UPDATE bot_bind_attempt SET failures = 0, lockedUntil = NULL WHERE botAccount = ? AND contactId = ? AND (lockedUntil <= ? OR (lockedUntil IS NULL AND lastTriedAt <= ?))", [
    account, contactId, at, sqlDate(m, new Date(now.getTime() - LOCK_MS)),
  ]);
  // lockedUntil is set before failures changes: MySQL reads the new value of a column assigned earlier in SET, SQLite the old
  const place = await updateElseInsert(
    m,
    "UPDATE bot_bind_attempt SET lockedUntil = CASE WHEN failures + 1 >= ? THEN ? ELSE NULL END, failures = failures + 1, lastTriedAt = ? WHERE botAccount = ? AND contactId = ? AND failures < ?",
    [MAX_WRONG_CODES, sqlDate(m, new Date(now.getTime() + LOCK_MS)), at, account, contactId, MAX_WRONG_CODES],
    "bot_bind_attempt",
    { botAccount: account, contactId, failures: 1, lockedUntil: MAX_WRONG_CODES <= 1 ? new Date(now.getTime() + LOCK_MS) : null, lastTriedAt: now },
  );
  const attempt = await m.findOneByOrFail(BotBindAttempt, { botAccount: account, contactId });
  if (!place) return { locked: attempt.lockedUntil ?? new Date(now.getTime() + LOCK_MS) };
  const row = await m.findOneBy(BotBindCode, { codeHash: hashOf(secret, code) });
  const used = row && (await execute(m, "UPDATE bot_bind_code SET usedAt = ? WHERE id = ? AND usedAt IS NULL AND expiresAt > ?", [at, row.id, at])) === 1;
  if (!row || !used) return { ok: false, attemptsLeft: MAX_WRONG_CODES - attempt.failures, lockedUntil: attempt.lockedUntil };
  await execute(m, "UPDATE bot_bind_attempt SET failures = 0, lockedUntil = NULL WHERE botAccount = ? AND contactId = ?", [account, contactId]);
  const subject: Subject = { type: row.subjectType, id: row.subjectId };
  await bind(m, account, contactId, subject, now);
  return { ok: true, subject };
}

/** Links the contact to the subject: a subject has one contact (binding a new one moves it), a contact one subject (the newest wins). */
async function bind(m: EntityManager, account: string, contactId: string, subject: Subject, now: Date): Promise<void> {
  await execute(m, "DELETE FROM contact_binding WHERE (subjectType = ? AND subjectId = ?) OR (botAccount = ? AND contactId = ?)", [subject.type, subject.id, account, contactId]);
  if (!(await insertIgnore(m, "contact_binding", { botAccount: account, contactId, subjectType: subject.type, subjectId: subject.id, createdAt: now }))) {
    throw new AppError("BUSY", "系统繁忙，请稍后再试"); // a parallel bind of the same pair committed in between
  }
}

/** A contact sends a bind code: 200 with who they are now, or 409 BIND_CODE_INVALID, or 423 BIND_LOCKED. */
export async function useBindCode(db: Database, secret: string, account: string, contactId: string, code: string, now: Date) {
  const outcome = await db.tx((m) => checkCode(m, secret, account, contactId, code, now));
  const locked = (until: Date, attemptsLeft?: number) => new AppError("BIND_LOCKED", "绑定码错误次数过多，请 30 分钟后再试", { lockedUntil: until.toISOString(), ...(attemptsLeft === undefined ? {} : { attemptsLeft }) });
  if ("locked" in outcome) throw locked(outcome.locked);
  if (!outcome.ok) {
    // the fifth wrong code is the one that locks: it says so, with no tries left
    if (outcome.lockedUntil) throw locked(outcome.lockedUntil, 0);
    throw new AppError("BIND_CODE_INVALID", "绑定码不正确或已过期，请在小程序中重新获取", { attemptsLeft: outcome.attemptsLeft });
  }
  return db.read(async (m) => ({ type: outcome.subject.type, name: await nameOf(m, outcome.subject) }));
}

async function nameOf(m: EntityManager, subject: Subject): Promise<string> {
  if (subject.type === "member") return (await m.findOneBy(Member, { id: subject.id }))?.nickname ?? "会员";
  return (await m.findOneBy(StaffAccount, { id: subject.id }))?.name ?? "员工";
}

/** The contact says 解绑. */
export async function unbindContact(m: EntityManager, account: string, contactId: string): Promise<void> {
  await execute(m, "DELETE FROM contact_binding WHERE botAccount = ? AND contactId = ?", [account, contactId]);
}

/** The member or staff member unbinds from their own account. */
export async function unbindSubject(m: EntityManager, subject: Subject): Promise<void> {
  await execute(m, "DELETE FROM contact_binding WHERE subjectType = ? AND subjectId = ?", [subject.type, subject.id]);
}

export async function bindingOfSubject(m: EntityManager, subject: Subject) {
  const row = await m.findOneBy(ContactBinding, { subjectType: subject.type, subjectId: subject.id });
  return { bound: row !== null, since: row?.createdAt.toISOString() ?? null };
}
