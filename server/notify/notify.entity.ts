import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

/** `cancelled`: someone decided it should not go (opt-out, a manager, a cancelled booking); `expired`: it waited past its use (templates.ts) */
export const MESSAGE_STATUSES = ["queued", "sending", "sent", "refused", "failed", "no_channel", "held", "cancelled", "expired"] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];
export const CHANNELS = ["subscribe", "bot", "inbox", "call"] as const;
export type Channel = (typeof CHANNELS)[number];
export type MessageClass = "service" | "marketing";

/**
 * One message to one person: the only way the server tells anybody anything. The row commits with
 * the business change that causes it; the router picks the channel when it delivers.
 */
@Entity("outbox_message")
@Index("uq_outbox_dedupe", ["dedupeKey"], { unique: true })
@Index("idx_outbox_due", ["status", "nextAttemptAt"])
@Index("idx_outbox_member", ["memberId", "id"])
@Index("idx_outbox_staff", ["staffId", "channel", "readAt"])
@Index("idx_outbox_created", ["createdAt"])
@Index("idx_outbox_expiry", ["status", "expiresAt"])
export class OutboxMessage {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 32 })
  kind: string;

  @Column({ type: "varchar", length: 16 })
  messageClass: MessageClass;

  @Column({ type: "int", nullable: true })
  memberId: number | null;

  @Column({ type: "int", nullable: true })
  staffId: number | null;

  /** the store whose staff follow up (call tasks, operator views) */
  @Column({ type: "int", nullable: true })
  storeId: number | null;

  /** template variables, JSON */
  @Column({ type: "text" })
  payload: string;

  @Column({ type: "varchar", length: 191 })
  dedupeKey: string;

  @Column({ type: "varchar", length: 16, nullable: true })
  channel: Channel | null;

  @Column({ type: "varchar", length: 16 })
  status: MessageStatus;

  @Column({ type: "int", default: 0 })
  attempts: number;

  @Column({ type: "datetime", precision: 3 })
  nextAttemptAt: Date;

  /** who holds it while it is being sent (an instance, or a bot claim) and until when */
  @Column({ type: "varchar", length: 64, nullable: true })
  leaseToken: string | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  leaseUntil: Date | null;

  /** the bot account and contact id a bot-channel message goes to */
  @Column({ type: "varchar", length: 64, nullable: true })
  botAccount: string | null;

  @Column({ type: "varchar", length: 128, nullable: true })
  contactId: string | null;

  /** channels that refused this message, comma separated: the router does not try them again */
  @Column({ type: "varchar", length: 64, default: "" })
  refusedChannels: string;

  @Column({ type: "varchar", length: 500, nullable: true })
  lastError: string | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  sentAt: Date | null;

  /** past this instant the message is no use (a reminder after the visit): never sent, retired as `expired`; null never */
  @Column({ type: "datetime", precision: 3, nullable: true })
  expiresAt: Date | null;

  /** staff inbox: when the recipient marked it read */
  @Column({ type: "datetime", precision: 3, nullable: true })
  readAt: Date | null;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** How many one-time subscribe consents a member has left for one template (WeChat allows one send per accept). */
@Entity("subscribe_consent")
export class SubscribeConsent {
  @PrimaryColumn({ type: "int" })
  memberId: number;

  @PrimaryColumn({ type: "varchar", length: 64 })
  templateId: string;

  @Column({ type: "int" })
  remaining: number;

  @Column({ type: "datetime", precision: 3 })
  updatedAt: Date;
}

/** WeChat's access token, shared by every instance through the database. */
@Entity("wechat_token")
export class WechatToken {
  @PrimaryColumn({ type: "varchar", length: 32 })
  name: string;

  @Column({ type: "varchar", length: 600 })
  token: string;

  @Column({ type: "datetime", precision: 3 })
  expiresAt: Date;
}

/** A member or staff member reachable as a WeChat contact of one bot account. */
@Entity("contact_binding")
@Index("uq_contact_binding_contact", ["botAccount", "contactId"], { unique: true })
@Index("uq_contact_binding_subject", ["subjectType", "subjectId"], { unique: true })
export class ContactBinding {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 64 })
  botAccount: string;

  @Column({ type: "varchar", length: 128 })
  contactId: string;

  @Column({ type: "varchar", length: 8 })
  subjectType: "member" | "staff";

  @Column({ type: "int" })
  subjectId: number;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** One bot account's unprompted sends on one Shanghai day, and when it may send next. */
@Entity("bot_send_budget")
export class BotSendBudget {
  @PrimaryColumn({ type: "varchar", length: 64 })
  botAccount: string;

  @PrimaryColumn({ type: "varchar", length: 10 })
  day: string;

  @Column({ type: "int" })
  sent: number;

  @Column({ type: "datetime", precision: 3 })
  nextSendAt: Date;
}

/** Sends to one contact on one day; lastMessageId lets a re-handed message through without counting twice. */
@Entity("bot_contact_day")
export class BotContactDay {
  @PrimaryColumn({ type: "varchar", length: 64 })
  botAccount: string;

  @PrimaryColumn({ type: "varchar", length: 128 })
  contactId: string;

  @PrimaryColumn({ type: "varchar", length: 10 })
  day: string;

  @Column({ type: "int" })
  sent: number;

  @Column({ type: "int" })
  lastMessageId: number;
}

export const CALL_OUTCOMES = ["reached", "no_answer", "wrong_number", "note"] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

/** A phone call staff owe a member: a message no channel could carry, or a win-back. */
@Entity("call_task")
@Index("uq_call_task_dedupe", ["dedupeKey"], { unique: true })
@Index("idx_call_task_store", ["storeId", "status", "id"])
export class CallTask {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  memberId: number;

  @Column({ type: "int" })
  storeId: number;

  @Column({ type: "int", nullable: true })
  messageId: number | null;

  @Column({ type: "varchar", length: 32 })
  reason: string;

  @Column({ type: "varchar", length: 500 })
  summary: string;

  @Column({ type: "varchar", length: 191 })
  dedupeKey: string;

  @Column({ type: "varchar", length: 8 })
  status: "open" | "done";

  @Column({ type: "varchar", length: 16, nullable: true })
  outcome: CallOutcome | null;

  @Column({ type: "varchar", length: 500, nullable: true })
  note: string | null;

  @Column({ type: "int", nullable: true })
  doneByStaffId: number | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  doneAt: Date | null;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** What a member chose about messages; no row means the defaults (marketing allowed). */
@Entity("member_preference")
export class MemberPreference {
  @PrimaryColumn({ type: "int" })
  memberId: number;

  @Column({ type: "boolean" })
  marketingOptOut: boolean;

  @Column({ type: "datetime", precision: 3 })
  updatedAt: Date;
}

/** Marketing messages delivered to a member in one ISO week: the weekly cap's guarded counter. */
@Entity("marketing_week")
export class MarketingWeek {
  @PrimaryColumn({ type: "int" })
  memberId: number;

  @PrimaryColumn({ type: "varchar", length: 10 })
  week: string;

  @Column({ type: "int" })
  sent: number;
}
