import { Table, TableColumn, type MigrationInterface, type QueryRunner } from "typeorm";
import { col, index, unique } from "./columns.js";

const pk = (...names: string[]) => (c: ReturnType<typeof col.int>) => (names.includes(c.name) ? { ...c, isPrimary: true } : c);

/** Issue 9: the outbox and what routes it (consents, token, bot bindings and budgets, call tasks, preferences) and job firings. */
export class Notifications1764200000000 implements MigrationInterface {
  name = "Notifications1764200000000";

  async up(q: QueryRunner): Promise<void> {
    // job_firing replaces the per-job lease row: a firing, not a job, is what runs once
    await q.dropTable("job_lease");
    await q.createTable(
      new Table({
        name: "outbox_message",
        columns: [
          col.id(), col.varchar("kind", 32), col.varchar("messageClass", 16), col.int("memberId", true), col.int("staffId", true), col.int("storeId", true),
          col.text("payload"), col.varchar("dedupeKey", 191), col.varchar("channel", 16, true), col.varchar("status", 16),
          { name: "attempts", type: "integer", default: 0 }, col.datetime("nextAttemptAt"), col.varchar("leaseToken", 64, true), col.datetime("leaseUntil", true),
          col.varchar("botAccount", 64, true), col.varchar("contactId", 128, true), { name: "refusedChannels", type: "varchar", length: "64", default: "''" },
          col.varchar("lastError", 500, true), col.datetime("sentAt", true), col.datetime("readAt", true), col.datetime("createdAt"),
        ],
        indices: [
          unique("uq_outbox_dedupe", ["dedupeKey"]), index("idx_outbox_due", ["status", "nextAttemptAt"]), index("idx_outbox_member", ["memberId", "id"]),
          index("idx_outbox_staff", ["staffId", "channel", "readAt"]), index("idx_outbox_created", ["createdAt"]),
        ],
      }),
    );
    await q.createTable(new Table({ name: "subscribe_consent", columns: [col.int("memberId"), col.varchar("templateId", 64), col.int("remaining"), col.datetime("updatedAt")].map(pk("memberId", "templateId")) }));
    await q.createTable(new Table({ name: "wechat_token", columns: [col.varchar("name", 32), col.varchar("token", 600), col.datetime("expiresAt")].map(pk("name")) }));
    await q.createTable(
      new Table({
        name: "contact_binding",
        columns: [col.id(), col.varchar("botAccount", 64), col.varchar("contactId", 128), col.varchar("subjectType", 8), col.int("subjectId"), col.datetime("createdAt")],
        indices: [unique("uq_contact_binding_contact", ["botAccount", "contactId"]), unique("uq_contact_binding_subject", ["subjectType", "subjectId"])],
      }),
    );
    await q.createTable(new Table({ name: "bot_send_budget", columns: [col.varchar("botAccount", 64), col.varchar("day", 10), col.int("sent"), col.datetime("nextSendAt")].map(pk("botAccount", "day")) }));
    await q.createTable(
      new Table({ name: "bot_contact_day", columns: [col.varchar("botAccount", 64), col.varchar("contactId", 128), col.varchar("day", 10), col.int("sent"), col.int("lastMessageId")].map(pk("botAccount", "contactId", "day")) }),
    );
    await q.createTable(
      new Table({
        name: "call_task",
        columns: [
          col.id(), col.int("memberId"), col.int("storeId"), col.int("messageId", true), col.varchar("reason", 32), col.varchar("summary", 500), col.varchar("dedupeKey", 191),
          col.varchar("status", 8), col.varchar("outcome", 16, true), col.varchar("note", 500, true), col.int("doneByStaffId", true), col.datetime("doneAt", true), col.datetime("createdAt"),
        ],
        indices: [unique("uq_call_task_dedupe", ["dedupeKey"]), index("idx_call_task_store", ["storeId", "status", "id"])],
      }),
    );
    await q.createTable(new Table({ name: "member_preference", columns: [col.int("memberId"), col.bool("marketingOptOut"), col.datetime("updatedAt")].map(pk("memberId")) }));
    await q.createTable(new Table({ name: "marketing_week", columns: [col.int("memberId"), col.varchar("week", 10), col.int("sent")].map(pk("memberId", "week")) }));
    await q.createTable(
      new Table({
        name: "job_firing",
        columns: [
          col.id(), col.varchar("job", 64), col.datetime("scheduledAt"), col.varchar("instance", 64), col.int("attempt"), col.datetime("startedAt"), col.datetime("finishedAt", true),
          col.datetime("leaseUntil"), col.varchar("counts", 1000, true), col.varchar("error", 1000, true), { name: "caughtUp", type: "boolean", default: 0 },
        ],
        indices: [unique("uq_job_firing", ["job", "scheduledAt"]), index("idx_job_firing_started", ["startedAt"])],
      }),
    );
    await q.addColumn("store", new TableColumn(col.varchar("city", 32, true)));
    // the maintenance scan reads due assets through this index (nextDueDate is already the earlier of date and estimated mileage)
    await q.createIndex("asset", index("idx_asset_next_due_date", ["nextDueDate"]));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropIndex("asset", "idx_asset_next_due_date");
    await q.dropColumn("store", "city");
    await q.createTable(new Table({ name: "job_lease", columns: [{ ...col.varchar("name", 64), isPrimary: true }, col.varchar("owner", 64), col.datetime("lockedUntil")] }));
    for (const table of ["job_firing", "marketing_week", "member_preference", "call_task", "bot_contact_day", "bot_send_budget", "contact_binding", "wechat_token", "subscribe_consent", "outbox_message"]) await q.dropTable(table);
  }
}
