import { TableColumn, type MigrationInterface, type QueryRunner } from "typeorm";
import { col, index } from "./columns.js";

/** Issue 9: outbox messages carry an expiry; the delivery loop and the bot claim retire what waited past it. */
export class OutboxExpiry1764300000000 implements MigrationInterface {
  name = "OutboxExpiry1764300000000";

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn("outbox_message", new TableColumn(col.datetime("expiresAt", true)));
    await q.createIndex("outbox_message", index("idx_outbox_expiry", ["status", "expiresAt"]));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex("outbox_message", "idx_outbox_expiry");
    await q.dropColumn("outbox_message", "expiresAt");
  }
}
