import { Table, type MigrationInterface, type QueryRunner } from "typeorm";
import { col, index, unique } from "./columns.js";

const primary = <T extends object>(c: T) => ({ ...c, isPrimary: true });

/** Issue 11 point 2: the FAQ knowledge base, its name and version, and the questions it missed. */
export class Faq1764500000000 implements MigrationInterface {
  name = "Faq1764500000000";

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: "faq",
        columns: [primary(col.varchar("id", 64)), col.varchar("question", 200), col.text("alternates"), col.varchar("answer", 2000), col.bool("active"), col.int("position"), col.datetime("updatedAt")],
        indices: [index("idx_faq_active", ["active", "position"])],
      }),
    );
    await q.createTable(new Table({ name: "faq_kb", columns: [primary(col.int("id")), col.varchar("name", 64), col.int("version"), col.datetime("updatedAt")] }));
    await q.createTable(
      new Table({
        name: "faq_miss",
        columns: [
          col.id(), col.varchar("textKey", 200), col.varchar("text", 200), col.int("count"), col.varchar("lastKind", 8), col.varchar("status", 12), col.varchar("faqId", 64, true),
          col.int("resolvedBy", true), col.datetime("firstSeenAt"), col.datetime("lastSeenAt"),
        ],
        indices: [unique("uq_faq_miss_text", ["textKey"]), index("idx_faq_miss_open", ["status", "count"])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ["faq_miss", "faq_kb", "faq"]) await q.dropTable(table);
  }
}
