import { Table, TableColumn, type MigrationInterface, type QueryRunner } from "typeorm";
import { col, index, unique } from "./columns.js";


export class Bookings1764000000000 implements MigrationInterface {
  name = "Bookings1764000000000";

  async up(q: QueryRunner): Promise<void> {
    await q.addColumn("store", new TableColumn({ name: "closedOnHolidays", type: "boolean", default: 1 }));
    await q.addColumn("service_type", new TableColumn(col.varchar("bayKind", 16, true)));
    await q.addColumn("member", new TableColumn(col.datetime("bookingSuspendedUntil", true)));
    await q.addColumns("asset", [new TableColumn(col.datetime("lastServiceAt", true)), new TableColumn(col.date("nextDueDate", true)), new TableColumn(col.int("nextDueMileage", true))]);
    await q.createTable(
      new Table({
        name: "store_hours",
        columns: [col.id(), col.int("storeId"), col.int("weekday"), col.varchar("opensAt", 5), col.varchar("closesAt", 5)],
        indices: [unique("uq_store_hours", ["storeId", "weekday"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "store_closure",
        columns: [col.id(), col.int("storeId"), col.date("date"), col.varchar("reason", 100)],
        indices: [unique("uq_store_closure", ["storeId", "date"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "service_bay",
        columns: [col.id(), col.int("storeId"), col.varchar("kind", 16), col.varchar("name", 32), col.bool("active")],
        indices: [index("idx_service_bay_store", ["storeId", "kind"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "technician",
        columns: [col.id(), col.int("storeId"), col.varchar("name", 32), col.varchar("skills", 200), col.bool("active")],
        indices: [index("idx_technician_store", ["storeId"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "booking",
        columns: [
          col.id(),
          col.varchar("bookingNo", 24),
          col.int("memberId"),
          col.int("storeId"),
          col.int("assetId"),
          col.varchar("serviceIds", 100),
          col.varchar("bayKind", 16),
          col.datetime("start"),
          col.datetime("end"),
          col.varchar("status", 20),
          col.varchar("note", 200, true),
          col.varchar("address", 200, true),
          col.bool("pickupBenefitUsed"),
          col.varchar("idempotencyKey", 100),
          col.int("technicianId", true),
          col.int("checkInMileage", true),
          col.datetime("respondBy"),
          col.datetime("onSiteBy"),
          col.datetime("fixBy", true),
          col.datetime("arriveBy"),
          col.datetime("respondedAt", true),
          col.datetime("arrivedAt", true),
          col.datetime("checkedInAt", true),
          col.datetime("startedAt", true),
          col.datetime("readyAt", true),
          col.datetime("completedAt", true),
          col.datetime("cancelledAt", true),
          col.datetime("createdAt"),
        ],
        indices: [
          unique("uq_booking_no", ["bookingNo"]),
          unique("uq_booking_idempotency", ["memberId", "idempotencyKey"]),
          index("idx_booking_store_start", ["storeId", "start"]),
          index("idx_booking_member", ["memberId", "start"]),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: "slot_usage",
        columns: [col.id(), col.int("storeId"), col.varchar("bayKind", 16), col.datetime("slotStart"), col.int("booked")],
        indices: [unique("uq_slot_usage", ["storeId", "bayKind", "slotStart"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "service_record",
        columns: [
          col.id(),
          col.int("bookingId", true),
          col.int("assetId"),
          col.int("archiveId"),
          col.int("memberId"),
          col.int("storeId"),
          col.text("items"),
          col.int("partsFen"),
          col.int("labourFen"),
          col.int("discountFen"),
          col.int("amountFen"),
          col.int("mileage"),
          col.int("technicianId", true),
          col.int("pointsEarned"),
          col.datetime("completedAt"),
          col.int("rating", true),
          col.varchar("ratingComment", 500, true),
          col.datetime("ratedAt", true),
        ],
        indices: [unique("uq_service_record_booking", ["bookingId"]), index("idx_service_record_asset", ["assetId", "completedAt"]), index("idx_service_record_member", ["memberId"])],
      }),
    );
    await q.createTable(new Table({ name: "maintenance_interval", columns: [col.id(), col.varchar("modelPattern", 64), col.int("months"), col.int("km")] }));

    for (const [code, kind] of [["maintenance", "lift"], ["repair", "lift"], ["inspection", "inspection"], ["annual_inspection", "inspection"]]) {
      await q.query("UPDATE service_type SET bayKind = ? WHERE code = ?", [kind, code]);
    }
    // new-energy models need maintenance less often
    await q.query("INSERT INTO maintenance_interval (modelPattern, months, km) VALUES (?, ?, ?)", ["星纪元", 12, 10000]);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ["maintenance_interval", "service_record", "slot_usage", "booking", "technician", "service_bay", "store_closure", "store_hours"]) await q.dropTable(table);
    for (const column of ["nextDueMileage", "nextDueDate", "lastServiceAt"]) await q.dropColumn("asset", column);
    await q.dropColumn("member", "bookingSuspendedUntil");
    await q.dropColumn("service_type", "bayKind");
    await q.dropColumn("store", "closedOnHolidays");
  }
}
