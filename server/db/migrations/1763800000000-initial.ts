import { Table, type MigrationInterface, type QueryRunner } from "typeorm";
import { col, index, unique } from "./columns.js";


export class Initial1763800000000 implements MigrationInterface {
  name = "Initial1763800000000";

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: "store",
        columns: [col.id(), col.varchar("code", 32), col.varchar("name", 64), col.varchar("address", 200), col.varchar("phone", 32), col.bool("active"), col.datetime("createdAt")],
        indices: [unique("uq_store_code", ["code"])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "service_type",
        columns: [col.id(), col.varchar("code", 32), col.varchar("name", 64), col.int("durationMinutes"), col.bool("active"), col.datetime("createdAt")],
        indices: [unique("uq_service_type_code", ["code"])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "member",
        columns: [
          col.id(),
          col.varchar("openid", 64),
          col.varchar("unionid", 64, true),
          col.varchar("memberCode", 16),
          col.varchar("nickname", 32),
          col.varchar("phone", 20, true),
          col.date("birthday", true),
          col.varchar("gender", 8),
          col.int("storeId"),
          col.int("assetCount"),
          col.datetime("createdAt"),
          col.datetime("updatedAt"),
        ],
        indices: [
          unique("uq_member_openid", ["openid"]),
          index("idx_member_unionid", ["unionid"]),
          unique("uq_member_code", ["memberCode"]),
          index("idx_member_phone", ["phone"]),
          index("idx_member_store", ["storeId"]),
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "asset",
        columns: [
          col.id(),
          col.int("memberId"),
          col.varchar("kind", 16),
          col.varchar("plate", 16),
          col.varchar("activePlate", 16, true),
          col.varchar("vinLast6", 6, true),
          col.varchar("model", 64),
          col.date("purchaseDate", true),
          col.int("mileage"),
          col.datetime("createdAt"),
          col.datetime("updatedAt"),
          col.datetime("removedAt", true),
        ],
        indices: [index("idx_asset_member", ["memberId"]), unique("uq_asset_member_plate", ["memberId", "activePlate"])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "asset_archive",
        columns: [col.id(), col.int("assetId"), col.varchar("archiveNo", 24), col.datetime("createdAt")],
        indices: [unique("uq_asset_archive_asset", ["assetId"]), unique("uq_asset_archive_no", ["archiveNo"])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "staff_account",
        columns: [
          col.id(),
          col.varchar("username", 32),
          col.varchar("name", 32),
          col.varchar("passwordHash", 72),
          col.varchar("role", 16),
          col.int("storeId", true),
          col.bool("disabled"),
          col.int("failedLogins"),
          col.datetime("lockedUntil", true),
          col.int("tokenVersion"),
          col.datetime("createdAt"),
        ],
        indices: [unique("uq_staff_username", ["username"])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "member_access_log",
        columns: [col.id(), col.int("staffId"), col.int("memberId"), col.int("storeId"), col.varchar("reason", 200), col.datetime("createdAt")],
        indices: [index("idx_access_log_staff", ["staffId"]), index("idx_access_log_member", ["memberId", "createdAt"])],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: "audit_log",
        columns: [
          col.id(),
          col.varchar("actorType", 16),
          col.int("actorId", true),
          col.varchar("action", 48),
          col.varchar("targetType", 32),
          col.int("targetId"),
          col.text("detail"),
          col.datetime("createdAt"),
        ],
        indices: [index("idx_audit_target", ["targetType", "targetId"])],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ["audit_log", "member_access_log", "staff_account", "asset_archive", "asset", "member", "service_type", "store"]) {
      await queryRunner.dropTable(table);
    }
  }
}
