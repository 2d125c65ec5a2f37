import type { Database } from "../db/database.js";
import { uniqueViolationOf } from "../db/errors.js";
import { AppError } from "../http/app-error.js";
import { todayInShanghai } from "../http/time.js";
import { Member } from "../members/members.entity.js";
import { Coupon, CouponTemplate } from "./coupons.entity.js";
import { issueCoupon } from "./issue.service.js";

/** Daily: marks coupons past their validity as expired. */
export async function expireCoupons(db: Database, now = new Date()): Promise<number> {
  const result = await db.tx((m) =>
    m.createQueryBuilder().update(Coupon).set({ status: "expired" }).where("status = 'available' AND validTo <= :now", { now }).execute(),
  );
  return result.affected ?? 0;
}

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/** The birthdays (MM-DD) celebrated today in Shanghai: 29 Feb on 28 Feb in other years. */
export function birthdayMonthDays(now: Date): string[] {
  const today = todayInShanghai(now);
  const monthDay = today.slice(5);
  return monthDay === "02-28" && !isLeapYear(Number(today.slice(0, 4))) ? ["02-28", "02-29"] : [monthDay];
}

/** Daily: members whose birthday is today (Shanghai; 29 Feb on 28 Feb in other years) get each birthday coupon once a year. */
export async function issueBirthdayCoupons(db: Database, now = new Date()): Promise<number> {
  const today = todayInShanghai(now);
  const days = birthdayMonthDays(now);
  const [templates, members] = await db.read((m) =>
    Promise.all([
      m.findBy(CouponTemplate, { channel: "job", jobCode: "birthday", status: "active" }),
      m.createQueryBuilder(Member, "member").where("SUBSTR(member.birthday, 6, 5) IN (:...days)", { days }).getMany(),
    ]),
  );
  let issued = 0;
  for (const template of templates) {
    for (const member of members) {
      try {
        await db.tx(async (m) => issueCoupon(m, await m.findOneByOrFail(CouponTemplate, { id: template.id }), member, { via: "job", note: "生日礼券", issueKey: `birthday:${template.id}:${member.id}:${today.slice(0, 4)}` }, now));
        issued++;
      } catch (err) {
        // already issued this year, out of stock, or not for this tier: nothing to do for this member
        if (uniqueViolationOf(err) === null && !(err instanceof AppError)) throw err;
      }
    }
  }
  return issued;
}
