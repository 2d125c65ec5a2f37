import { Table, type MigrationInterface, type QueryRunner } from "typeorm";
import { col, index, unique } from "./columns.js";

const primary = <T extends object>(c: T) => ({ ...c, isPrimary: true });

/** Issue 11: the chatbot's status, bind codes and their lock, dialog state, handoffs and their thread. */
export class Bot1764600000000 implements MigrationInterface {
  name = "Bot1764600000000";

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(new Table({ name: "bot_status", columns: [primary(col.varchar("botAccount", 64)), col.bool("loggedIn"), col.varchar("userName", 64, true), col.datetime("lastSeenAt")] }));
    await q.createTable(new Table({ name: "bot_chat_pace", columns: [primary(col.varchar("botAccount", 64)), col.datetime("nextSendAt")] }));
    await q.createTable(
      new Table({
        name: "bot_bind_code",
        columns: [col.id(), col.varchar("subjectType", 8), col.int("subjectId"), col.varchar("codeHash", 64), col.datetime("expiresAt"), col.datetime("usedAt", true), col.datetime("createdAt")],
        indices: [unique("uq_bot_bind_code_subject", ["subjectType", "subjectId"]), unique("uq_bot_bind_code_hash", ["codeHash"])],
      }),
    );
    await q.createTable(new Table({ name: "bot_bind_attempt", columns: [primary(col.varchar("botAccount", 64)), primary(col.varchar("contactId", 128)), col.int("failures"), col.datetime("lockedUntil", true), col.datetime("lastTriedAt")] }));
    await q.createTable(new Table({ name: "bot_dialog", columns: [primary(col.varchar("botAccount", 64)), primary(col.varchar("contactId", 128)), col.text("state"), col.datetime("expiresAt")] }));
    await q.createTable(
      new Table({
        name: "bot_handoff",
        columns: [
          col.id(), col.varchar("tag", 24), col.varchar("botAccount", 64), col.varchar("contactId", 128), col.int("memberId"), col.int("storeId"), col.int("complaintId", true),
          col.int("agentStaffId", true), col.varchar("status", 8), col.int("openKey", true), col.datetime("openedAt"), col.datetime("firstAgentReplyAt", true), col.datetime("busyNoticeAt", true),
          col.datetime("closedAt", true), col.int("closedByStaffId", true),
        ],
        indices: [unique("uq_bot_handoff_open", ["openKey"]), index("idx_bot_handoff_status", ["status", "openedAt"]), index("idx_bot_handoff_agent", ["agentStaffId", "status"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "bot_handoff_message",
        columns: [col.id(), col.int("handoffId"), col.varchar("authorType", 8), col.int("staffId", true), col.varchar("body", 2000), col.datetime("createdAt")],
        indices: [index("idx_bot_handoff_message", ["handoffId", "id"])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ["bot_handoff_message", "bot_handoff", "bot_dialog", "bot_bind_attempt", "bot_bind_code", "bot_chat_pace", "bot_status"]) await q.dropTable(table);
  }
}
