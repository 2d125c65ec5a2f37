import { TableColumn, type MigrationInterface, type QueryRunner } from "typeorm";
import { col } from "./columns.js";

/**
 * Issue 8's business gaps: who made a booking and through which channel (an advisor on the phone or at
 * the desk), and who cancelled it and why (a store closing a day). A coupon refund needs no column: its
 * ledger row references the coupon. A database that ran these columns under the migration's earlier
 * name (BookingChannels1764100000000) keeps them: only missing columns are added.
 */
export class BusinessGaps1764100000000 implements MigrationInterface {
  name = "BusinessGaps1764100000000";

  async up(q: QueryRunner): Promise<void> {
    const columns = [
      new TableColumn({ name: "channel", type: "varchar", length: "16", default: "'miniprogram'" }),
      new TableColumn(col.int("createdByStaffId", true)),
      new TableColumn(col.varchar("cancelledBy", 16, true)),
      new TableColumn(col.varchar("cancelReason", 200, true)),
    ];
    for (const column of columns) if (!(await q.hasColumn("booking", column.name))) await q.addColumn("booking", column);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const column of ["cancelReason", "cancelledBy", "createdByStaffId", "channel"]) await q.dropColumn("booking", column);
  }
}
