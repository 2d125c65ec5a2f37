import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

/** What a bot account last said about itself (heartbeat every 30 s, and at login and logout). */
@Entity("bot_status")
export class BotStatus {
  @PrimaryColumn({ type: "varchar", length: 64 })
  botAccount: string;

  @Column({ type: "boolean" })
  loggedIn: boolean;

  @Column({ type: "varchar", length: 64, nullable: true })
  userName: string | null;

  @Column({ type: "datetime", precision: 3 })
  lastSeenAt: Date;
}

/** When a bot account may hand out its next conversational message (BOT_CHAT_GAP_SECONDS apart). */
@Entity("bot_chat_pace")
export class BotChatPace {
  @PrimaryColumn({ type: "varchar", length: 64 })
  botAccount: string;

  @Column({ type: "datetime", precision: 3 })
  nextSendAt: Date;
}

/**
 * A subject's one bind code: a new request replaces the row. The code is kept only as an HMAC
 * (JWT_SECRET), unique among all rows: issuing first frees the hashes of used and expired codes.
 */
@Entity("bot_bind_code")
@Index("uq_bot_bind_code_subject", ["subjectType", "subjectId"], { unique: true })
@Index("uq_bot_bind_code_hash", ["codeHash"], { unique: true })
export class BotBindCode {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 8 })
  subjectType: "member" | "staff";

  @Column({ type: "int" })
  subjectId: number;

  @Column({ type: "varchar", length: 64 })
  codeHash: string;

  @Column({ type: "datetime", precision: 3 })
  expiresAt: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  usedAt: Date | null;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}

/** Wrong bind codes sent by one contact: the guarded counter that locks it after 5. */
@Entity("bot_bind_attempt")
export class BotBindAttempt {
  @PrimaryColumn({ type: "varchar", length: 64 })
  botAccount: string;

  @PrimaryColumn({ type: "varchar", length: 128 })
  contactId: string;

  @Column({ type: "int" })
  failures: number;

  @Column({ type: "datetime", precision: 3, nullable: true })
  lockedUntil: Date | null;

  /** wrong tries count within 30 minutes of the last one: older ones are forgotten */
  @Column({ type: "datetime", precision: 3 })
  lastTriedAt: Date;
}

/** The bot's multi-step dialog with one contact (the complaint dialog…), kept for 30 minutes. */
@Entity("bot_dialog")
export class BotDialog {
  @PrimaryColumn({ type: "varchar", length: 64 })
  botAccount: string;

  @PrimaryColumn({ type: "varchar", length: 128 })
  contactId: string;

  @Column({ type: "text" })
  state: string;

  @Column({ type: "datetime", precision: 3 })
  expiresAt: Date;
}

export type HandoffStatus = "open" | "closed";

/**
 * A member handed over to a human. openKey is the member id while open and null once closed: its
 * unique index allows one open handoff per member, however many opens race.
 */
@Entity("bot_handoff")
@Index("uq_bot_handoff_open", ["openKey"], { unique: true })
@Index("idx_bot_handoff_status", ["status", "openedAt"])
@Index("idx_bot_handoff_agent", ["agentStaffId", "status"])
export class BotHandoff {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 24 })
  tag: string;

  @Column({ type: "varchar", length: 64 })
  botAccount: string;

  @Column({ type: "varchar", length: 128 })
  contactId: string;

  @Column({ type: "int" })
  memberId: number;

  @Column({ type: "int" })
  storeId: number;

  @Column({ type: "int", nullable: true })
  complaintId: number | null;

  @Column({ type: "int", nullable: true })
  agentStaffId: number | null;

  @Column({ type: "varchar", length: 8 })
  status: HandoffStatus;

  @Column({ type: "int", nullable: true })
  openKey: number | null;

  @Column({ type: "datetime", precision: 3 })
  openedAt: Date;

  @Column({ type: "datetime", precision: 3, nullable: true })
  firstAgentReplyAt: Date | null;

  /** when the member was told that nobody had answered yet (once) */
  @Column({ type: "datetime", precision: 3, nullable: true })
  busyNoticeAt: Date | null;

  @Column({ type: "datetime", precision: 3, nullable: true })
  closedAt: Date | null;

  @Column({ type: "int", nullable: true })
  closedByStaffId: number | null;
}

/** The thread of a handoff that is not about a complaint (a complaint's handoff writes into the complaint's thread). */
@Entity("bot_handoff_message")
@Index("idx_bot_handoff_message", ["handoffId", "id"])
export class BotHandoffMessage {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "int" })
  handoffId: number;

  @Column({ type: "varchar", length: 8 })
  authorType: "member" | "staff";

  @Column({ type: "int", nullable: true })
  staffId: number | null;

  @Column({ type: "varchar", length: 2000 })
  body: string;

  @Column({ type: "datetime", precision: 3 })
  createdAt: Date;
}
