import chineseDays from "chinese-days";
import type { Database } from "../db/database.js";
import { fromSqlDate, sqlDate } from "../db/sql.js";
import { formatShanghai, todayInShanghai } from "../http/time.js";
import { addCalendarDays, shanghaiInstant } from "../stores/calendar.js";
import type { NotifyConfig } from "../config.js";
import { Booking } from "../bookings/bookings.entity.js";
import { enqueueBookingNotice } from "./booking-notices.js";
import { enqueueInBatches, enqueueMany, type NewMessage } from "./outbox.service.js";

const BATCH = 1000;

/**
 * 18:00 daily, a safety net: each booking is given its reminder when it is made (booking-notices.ts), with
 * the same dedupe key, so this run adds only what that missed. Bookings made after the firing's time got
 * their confirmation then, which serves as the reminder, so a caught-up run does not send them a second message.
 */
export async function bookingReminders(db: Database, at: Date) {
  const tomorrow = addCalendarDays(todayInShanghai(at), 1);
  const from = shanghaiInstant(tomorrow, "00:00");
  const to = shanghaiInstant(addCalendarDays(tomorrow, 1), "00:00");
  let enqueued = 0;
  let bookings = 0;
  for (let afterId = 0; ; ) {
    const batch = await db.read((m) =>
      m.createQueryBuilder(Booking, "b").where("b.start >= :from AND b.start < :to AND b.status = 'booked' AND b.createdAt < :at AND b.id > :afterId", { from, to, at, afterId }).orderBy("b.id").take(200).getMany(),
    );
    if (batch.length === 0) break;
    afterId = batch[batch.length - 1].id;
    bookings += batch.length;
    await db.tx(async (m) => {
      for (const booking of batch) if (await enqueueBookingNotice(m, "booking_reminder", booking, at)) enqueued++;
    });
  }
  return { bookings, enqueued };
}

/**
 * Daily: 7 days before a car's next maintenance and on the day (nextDueDate is already the earlier of
 * the date and the estimated mileage). Reads the nextDueDate index in keyset batches, never all rows,
 * and enqueues each batch with one statement. A day missed is covered: each window spans a week and
 * the dedupe key (`maint:<asset>:<due date>:d7|d0`) lets every reminder through once.
 */
export async function maintenanceDue(db: Database, at: Date) {
  const today = todayInShanghai(at);
  const windows = [
    { tag: "d7", from: addCalendarDays(today, 1), to: addCalendarDays(today, 7) },
    { tag: "d0", from: addCalendarDays(today, -6), to: today },
  ];
  const counts = { due: 0, enqueued: 0 };
  const storeNames = new Map(((await db.read((m) => m.query("SELECT id, name FROM store"))) as { id: number; name: string }[]).map((st) => [Number(st.id), st.name]));
  for (const window of windows) {
    let cursor = { date: "0000-00-00", id: 0 };
    for (;;) {
      // the asset table alone, so the planner reads the nextDueDate index whatever its statistics say;
      // the members' stores of a batch come in one more query
      const rows = (await db.read((m) =>
        m.query(
          `SELECT id, plate, nextDueDate AS dueDate, memberId FROM asset
            WHERE nextDueDate >= ? AND nextDueDate <= ? AND removedAt IS NULL AND kind = 'car'
              AND (nextDueDate > ? OR (nextDueDate = ? AND id > ?))
            ORDER BY nextDueDate, id LIMIT ${BATCH}`,
          [window.from, window.to, cursor.date, cursor.date, cursor.id],
        ),
      )) as { id: number; plate: string; dueDate: string | Date; memberId: number }[];
      if (rows.length === 0) break;
      // a DATE comes back as text from SQLite and as UTC midnight from mysql2 (the pool's time zone is Z)
      const dateText = (d: string | Date) => (typeof d === "string" ? d.slice(0, 10) : d.toISOString().slice(0, 10));
      const memberIds = [...new Set(rows.map((r) => Number(r.memberId)))];
      const homes = (await db.read((m) => m.query(`SELECT id, storeId FROM member WHERE id IN (${memberIds.join(", ")})`))) as { id: number; storeId: number }[];
      const storeOf = new Map(homes.map((h) => [Number(h.id), Number(h.storeId)]));
      const messages: NewMessage[] = rows.map((r) => {
        const dueDate = dateText(r.dueDate);
        const storeId = storeOf.get(Number(r.memberId))!;
        return {
          kind: "maintenance_due",
          memberId: Number(r.memberId),
          storeId,
          vars: { plate: r.plate, dueDate, storeName: storeNames.get(storeId) ?? "门店", assetId: Number(r.id), storeId },
          dedupeKey: `maint:${r.id}:${dueDate}:${window.tag}`,
        };
      });
      counts.due += rows.length;
      counts.enqueued += await db.tx((m) => enqueueMany(m, messages, at));
      const last = rows[rows.length - 1];
      cursor = { date: dateText(last.dueDate), id: Number(last.id) };
    }
  }
  return counts;
}

/** Daily: one message per member whose available coupons run out on the day three days from now. */
export async function couponsExpiring(db: Database, at: Date) {
  const day = addCalendarDays(todayInShanghai(at), 3);
  const rows = (await db.read((m) =>
    m.query(
      `SELECT c.id, c.memberId, mb.storeId, t.name, c.validTo FROM coupon c JOIN coupon_template t ON t.id = c.templateId JOIN member mb ON mb.id = c.memberId
        WHERE c.status = 'available' AND c.validTo >= ? AND c.validTo < ? ORDER BY c.memberId, c.id`,
      [sqlDate(m, shanghaiInstant(day, "00:00")), sqlDate(m, shanghaiInstant(addCalendarDays(day, 1), "00:00"))],
    ),
  )) as { id: number; memberId: number; storeId: number; name: string; validTo: Date | string }[];
  const byMember = new Map<number, typeof rows>();
  for (const r of rows) byMember.set(Number(r.memberId), [...(byMember.get(Number(r.memberId)) ?? []), r]);
  const messages: NewMessage[] = [...byMember].map(([memberId, coupons]) => ({
    kind: "coupon_expiring",
    memberId,
    storeId: Number(coupons[0].storeId),
    // couponId and count: one coupon opens its own page, several open the 可使用 tab
    vars: { couponNames: `「${coupons[0].name}」${coupons.length > 1 ? `等 ${coupons.length} 张` : ""}`, validTo: formatShanghai(fromSqlDate(coupons[0].validTo)), couponId: Number(coupons[0].id), count: coupons.length },
    dedupeKey: `coupon-expiring:${memberId}:${day}`,
  }));
  return { members: messages.length, enqueued: await enqueueInBatches(db, messages, at, BATCH) };
}

/** Daily: members with points expiring within 30 days get one message a month, with the total and the first date. */
export async function pointsExpiring(db: Database, at: Date) {
  const rows = (await db.read((m) =>
    m.query(
      `SELECT l.memberId, mb.storeId, SUM(l.remaining) AS points, MIN(l.expiresAt) AS firstExpiry FROM points_lot l JOIN member mb ON mb.id = l.memberId
        WHERE l.remaining > 0 AND l.expiresAt > ? AND l.expiresAt <= ? GROUP BY l.memberId, mb.storeId`,
      [sqlDate(m, at), sqlDate(m, new Date(at.getTime() + 30 * 86_400_000))],
    ),
  )) as { memberId: number; storeId: number; points: number | string; firstExpiry: Date | string }[];
  const month = todayInShanghai(at).slice(0, 7);
  const messages: NewMessage[] = rows.map((r) => ({
    kind: "points_expiring",
    memberId: Number(r.memberId),
    storeId: Number(r.storeId),
    vars: { points: Number(r.points), expiresOn: todayInShanghai(fromSqlDate(r.firstExpiry)) },
    dedupeKey: `points-expiring:${r.memberId}:${month}`,
  }));
  return { members: messages.length, enqueued: await enqueueInBatches(db, messages, at, BATCH) };
}

const SOLAR_FESTIVALS: Record<string, string> = { "01-01": "元旦", "10-01": "国庆节" };

/** The configured festivals falling on a Shanghai date (chinese-days' lunar festivals plus 元旦 and 国庆节). */
export function festivalsOn(date: string, wanted: string[]): string[] {
  const lunar = chineseDays.getLunarFestivals(date).flatMap((f: { name: string[] }) => f.name);
  const solar = SOLAR_FESTIVALS[date.slice(5)];
  return [...lunar, ...(solar ? [solar] : [])].filter((name) => wanted.includes(name));
}

/** Daily: on a configured festival every member gets a greeting (marketing: quiet hours, weekly cap and opt-out apply when it is sent). */
export async function holidayGreetings(db: Database, config: NotifyConfig, at: Date) {
  const today = todayInShanghai(at);
  const [holiday] = festivalsOn(today, config.holidays);
  if (!holiday) return { holiday: 0, enqueued: 0 };
  let enqueued = 0;
  for (let afterId = 0; ; ) {
    const members = (await db.read((m) => m.query(`SELECT mb.id, mb.storeId, s.name AS storeName FROM member mb JOIN store s ON s.id = mb.storeId WHERE mb.id > ? ORDER BY mb.id LIMIT ${BATCH}`, [afterId]))) as { id: number; storeId: number; storeName: string }[];
    if (members.length === 0) break;
    afterId = Number(members[members.length - 1].id);
    const messages: NewMessage[] = members.map((r) => ({ kind: "holiday_greeting", memberId: Number(r.id), storeId: Number(r.storeId), vars: { holiday, storeName: r.storeName }, dedupeKey: `holiday:${today}:${r.id}` }));
    enqueued += await db.tx((m) => enqueueMany(m, messages, at));
  }
  return { holiday: 1, enqueued };
}
