import type { MigrationInterface, QueryRunner } from "typeorm";
import { index } from "./columns.js";

/** 报表: a week's or month's points and every store's bookings are read by time, not by member or store. */
export class ReportIndexes1764700500000 implements MigrationInterface {
  name = "ReportIndexes1764700500000";

  async up(q: QueryRunner): Promise<void> {
    await q.createIndex("points_ledger", index("idx_ledger_created", ["createdAt"]));
    await q.createIndex("booking", index("idx_booking_start", ["start"]));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex("booking", "idx_booking_start");
    await q.dropIndex("points_ledger", "idx_ledger_created");
  }
}
