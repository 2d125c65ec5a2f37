import { birthdayMonthDays } from "../coupons/coupons.jobs.js";
import type { Database } from "../db/database.js";
import { todayInShanghai } from "../http/time.js";
import { enqueueInBatches, type NewMessage } from "./outbox.service.js";

/**
 * Daily, after the birthday coupons (still the one place they are issued): a greeting for each member
 * whose birthday it is, naming the coupons issued to them this year, read back by their issue keys so
 * a second run says the same.
 */
export async function birthdayGreetings(db: Database, at: Date) {
  const year = todayInShanghai(at).slice(0, 4);
  const members = (await db.read((m) =>
    m.query(`SELECT id, nickname, storeId FROM member WHERE SUBSTR(birthday, 6, 5) IN (${birthdayMonthDays(at).map(() => "?").join(", ")})`, birthdayMonthDays(at)),
  )) as { id: number; nickname: string; storeId: number }[];
  const messages: NewMessage[] = [];
  for (const member of members) {
    const coupons = (await db.read((m) =>
      m.query("SELECT t.name FROM coupon c JOIN coupon_template t ON t.id = c.templateId WHERE c.memberId = ? AND c.issueKey LIKE ? ORDER BY c.id", [member.id, `birthday:%:${member.id}:${year}`]),
    )) as { name: string }[];
    const couponLine = coupons.length ? `送您${coupons.map((c) => `「${c.name}」`).join("")}，已放入您的卡包。` : "愿您新的一岁出行平安、万事顺意。";
    messages.push({ kind: "birthday", memberId: Number(member.id), storeId: Number(member.storeId), vars: { nickname: member.nickname, couponLine }, dedupeKey: `birthday:${member.id}:${year}` });
  }
  return { members: members.length, enqueued: await enqueueInBatches(db, messages, at) };
}
