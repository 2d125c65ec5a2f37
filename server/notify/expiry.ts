import type { EntityManager } from "typeorm";
import { Asset } from "../assets/assets.entity.js";
import { Booking } from "../bookings/bookings.entity.js";
import type { Database } from "../db/database.js";
import { execute, sqlDate } from "../db/sql.js";
import { formatShanghai } from "../http/time.js";
import type { OutboxMessage } from "./notify.entity.js";
import { TEMPLATES, type MessageKind, type MessageTemplate, type Vars } from "./templates.js";

// waiting, held, or handed out and never settled within the lease: nobody is sending it right now
const UNSENT = "(status IN ('queued', 'held') OR (status = 'sending' AND leaseUntil < ?))";

/** Retires every unsent message past its expiry (any channel) with one statement; returns how many. */
export async function retireExpired(db: Database, now: Date): Promise<number> {
  return db.tx((m) =>
    execute(m, `UPDATE outbox_message SET status = 'expired', lastError = '已过有效期，未发送', leaseToken = NULL, leaseUntil = NULL WHERE expiresAt <= ? AND ${UNSENT}`, [sqlDate(m, now), sqlDate(m, now)]),
  );
}

/**
 * Why a message about to be sent is no use any more (past its expiry, its booking moved on, its car was
 * serviced), or null when it still is. Only what the database shows retires a message: a booking or car
 * that cannot be found leaves it to its expiry.
 */
export async function obsoleteReason(m: EntityManager, message: Pick<OutboxMessage, "kind" | "payload" | "expiresAt">, now: Date): Promise<string | null> {
  if (message.expiresAt && message.expiresAt <= now) return "已过有效期，未发送";
  const template: MessageTemplate | undefined = TEMPLATES[message.kind as MessageKind];
  if (!template?.obsoleteWhen) return null;
  const vars = JSON.parse(message.payload) as Vars;
  if (template.obsoleteWhen === "car_serviced") {
    const asset = await m.findOneBy(Asset, { id: Number(vars.assetId) });
    return asset && (asset.removedAt !== null || asset.nextDueDate !== vars.dueDate) ? "车辆已保养或下次保养日期已更新，未发送" : null;
  }
  const booking = await m.findOneBy(Booking, { id: Number(vars.bookingId) });
  if (!booking) return null;
  if (template.obsoleteWhen === "booking_collected") return booking.status === "ready_for_pickup" ? null : "车辆已取走或预约已结束，未发送";
  return booking.status === "booked" && formatShanghai(booking.start) === vars.start ? null : "预约已取消或已改期，未发送";
}

/** Retires one unsent message nobody holds as `expired` with the reason (the bot claim's candidates). */
export async function retireMessage(m: EntityManager, id: number, reason: string, now: Date): Promise<boolean> {
  return (await execute(m, `UPDATE outbox_message SET status = 'expired', lastError = ?, leaseToken = NULL, leaseUntil = NULL WHERE id = ? AND ${UNSENT}`, [reason, id, sqlDate(m, now)])) === 1;
}
