import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from "typeorm";

/** One question of the knowledge base, under a stable id ("hours") that exports and the bot keep. */
@Entity("faq")
@Index("idx_faq_active", ["active", "position"])
export class Faq {
  @PrimaryColumn({ type: "varchar", length: 64 })
  id: string;

  @Column({ type: "varchar", length: 200 })
  question: string;

  /** other phrasings of the question, JSON array of strings */
  @Column({ type: "text" })
  alternates: string;

  @Column({ type: "varchar", length: 2000 })
  answer: string;

  /** inactive FAQs are kept for staff but never matched or exported */
  @Column({ type: "boolean" })
  active: boolean;

  /** order in the knowledge base; exports keep it */
  @Column({ type: "int" })
  position: number;

  @Column({ type: "datetime", precision: 3 })
  updatedAt: Date;
}

/** The knowledge base itself: one row (id 1), its name and a version bumped by every change, so each instance knows when to rebuild its matcher. */
@Entity("faq_kb")
export class FaqKnowledgeBase {
  @PrimaryColumn({ type: "int" })
  id: number;

  @Column({ type: "varchar", length: 64 })
  name: string;

  @Column({ type: "int" })
  version: number;

  @Column({ type: "datetime", precision: 3 })
  updatedAt: Date;
}

export const MISS_STATUSES = ["open", "dismissed", "resolved"] as const;
export type MissStatus = (typeof MISS_STATUSES)[number];

/** A question the matcher did not answer outright, counted by its normalized text for staff to act on. */
@Entity("faq_miss")
@Index("uq_faq_miss_text", ["textKey"], { unique: true })
@Index("idx_faq_miss_open", ["status", "count"])
export class FaqMiss {
  @PrimaryGeneratedColumn()
  id: number;

  /** normalized text (Simplified, folded, no punctuation or spaces): what the count is by */
  @Column({ type: "varchar", length: 200 })
  textKey: string;

  /** the text as last asked */
  @Column({ type: "varchar", length: 200 })
  text: string;

  @Column({ type: "int" })
  count: number;

  /** "none" or "choices", as last answered */
  @Column({ type: "varchar", length: 8 })
  lastKind: string;

  @Column({ type: "varchar", length: 12 })
  status: MissStatus;

  /** the FAQ it was added to as an alternate */
  @Column({ type: "varchar", length: 64, nullable: true })
  faqId: string | null;

  @Column({ type: "int", nullable: true })
  resolvedBy: number | null;

  @Column({ type: "datetime", precision: 3 })
  firstSeenAt: Date;

  @Column({ type: "datetime", precision: 3 })
  lastSeenAt: Date;
}
