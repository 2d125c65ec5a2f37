import { Table, type MigrationInterface, type QueryRunner } from "typeorm";
import { col, index, unique } from "./columns.js";

const withDefault = (name: string, length: number, value: string) => ({ name, type: "varchar", length: String(length), default: `'${value}'` });
const primary = <T extends object>(c: T) => ({ ...c, isPrimary: true });

/** Issue 10: complaints, their thread, audit trail, photos, reports, numbering, agents' duty and the case library. */
export class Complaints1764400000000 implements MigrationInterface {
  name = "Complaints1764400000000";

  async up(q: QueryRunner): Promise<void> {
    await q.createTable(
      new Table({
        name: "complaint",
        columns: [
          col.id(), col.varchar("number", 20), col.int("storeId"), col.varchar("channel", 16), col.varchar("category", 24), col.varchar("team", 16),
          col.varchar("content", 2000), col.varchar("demand", 24), col.int("memberId", true), col.varchar("complainantName", 32), col.varchar("complainantPhone", 20, true),
          col.varchar("carModel", 64, true), col.varchar("plate", 16, true), col.int("assetId", true), col.int("bookingId", true), col.int("accusedStaffId", true),
          col.varchar("severity", 8), withDefault("majorReasons", 200, ""), col.varchar("status", 16), col.int("receivedByStaffId", true), col.int("ownerStaffId", true),
          col.datetime("receivedAt"), col.datetime("assignedAt", true), col.datetime("firstResponseDueAt"), col.datetime("firstResponseWarnAt"),
          col.datetime("resolutionDueAt"), col.datetime("resolutionWarnAt"), col.datetime("escalationDueAt", true), col.datetime("escalatedAt", true),
          col.datetime("firstRespondedAt", true), col.datetime("pausedAt", true), withDefault("slaFlags", 120, ""), col.datetime("resolvedAt", true), col.datetime("closedAt", true),
          col.varchar("resolutionReply", 2000, true), col.varchar("compensationType", 8, true), col.int("compensationTemplateId", true), col.int("compensationPoints", true),
          col.int("compensationValueFen", true), col.int("compensationCouponId", true), col.int("compensationLedgerId", true), withDefault("approvalStatus", 12, "none"),
          { name: "pendingResolution", type: "text", isNullable: true }, col.int("approvalRequestedBy", true), col.int("approvalDecidedBy", true),
          col.int("satisfactionRating", true), { name: "satisfactionSolved", type: "boolean", isNullable: true }, col.varchar("satisfactionComment", 500, true), col.datetime("surveyedAt", true),
          col.varchar("returnVisitStatus", 8, true), col.varchar("returnVisitMethod", 8, true), col.varchar("returnVisitOutcome", 16, true), col.varchar("returnVisitNote", 500, true),
          col.int("returnVisitBy", true), col.datetime("returnVisitAt", true), { name: "reopenCount", type: "integer", default: 0 }, col.datetime("updatedAt"),
        ],
        indices: [
          unique("uq_complaint_number", ["number"]), index("idx_complaint_store_status", ["storeId", "status", "receivedAt"]), index("idx_complaint_owner", ["ownerStaffId", "status"]),
          index("idx_complaint_member", ["memberId", "receivedAt"]), index("idx_complaint_received", ["receivedAt"]),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: "complaint_message",
        columns: [col.id(), col.int("complaintId"), col.varchar("authorType", 8), col.int("staffId", true), col.bool("internal"), col.varchar("body", 2000), col.datetime("createdAt")],
        indices: [index("idx_complaint_message", ["complaintId", "id"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "complaint_event",
        columns: [
          col.id(), col.int("complaintId"), col.varchar("type", 24), col.varchar("fromStatus", 16, true), col.varchar("toStatus", 16, true), col.varchar("actorType", 8),
          col.int("actorId", true), withDefault("detail", 1000, "{}"), col.datetime("createdAt"),
        ],
        indices: [index("idx_complaint_event", ["complaintId", "id"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "complaint_photo",
        columns: [
          col.id(), col.int("complaintId", true), col.int("messageId", true), col.varchar("uploaderType", 8), col.int("uploaderId"), col.varchar("storageKey", 128),
          col.varchar("contentType", 32), col.int("bytes"), col.datetime("createdAt"),
        ],
        indices: [index("idx_complaint_photo", ["complaintId"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "complaint_report",
        columns: [col.id(), col.int("complaintId"), col.varchar("kind", 16), col.text("body"), col.int("staffId"), col.datetime("createdAt")],
        indices: [unique("uq_complaint_report", ["complaintId", "kind"])],
      }),
    );
    await q.createTable(new Table({ name: "complaint_counter", columns: [primary(col.varchar("day", 8)), col.int("last")] }));
    await q.createTable(new Table({ name: "agent_duty", columns: [primary(col.int("staffId")), col.varchar("team", 16), col.bool("onDuty"), col.datetime("lastAssignedAt", true), col.datetime("updatedAt")] }));
    await q.createTable(
      new Table({
        name: "complaint_case",
        columns: [
          col.id(), col.int("complaintId"), col.varchar("category", 24), col.varchar("title", 100), col.text("summary"), col.text("investigation"), col.varchar("resolution", 2000),
          col.int("createdBy"), col.datetime("createdAt"),
        ],
        indices: [unique("uq_complaint_case", ["complaintId"]), index("idx_complaint_case_category", ["category"])],
      }),
    );
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ["complaint_case", "agent_duty", "complaint_counter", "complaint_report", "complaint_photo", "complaint_event", "complaint_message", "complaint"]) await q.dropTable(table);
  }
}
