import { Table, TableColumn, type MigrationInterface, type QueryRunner } from "typeorm";
import { col, index, unique } from "./columns.js";


// Defaults a dealership starts with; managers change them later.
const TIERS = [
  ["normal", "普卡", 0, 0, 100, 100, 0],
  ["silver", "银卡", 1000, 1, 110, 150, 5],
  ["gold", "金卡", 5000, 2, 120, 200, 10],
  ["diamond", "钻石卡", 15000, 3, 150, 200, 15],
];
const BENEFITS = [
  ["silver", "free_inspection", "免费检测", 2, "month"],
  ["gold", "pickup_delivery", "免费上门取送车", 1, "month"],
  ["gold", "free_inspection", "免费检测", 4, "month"],
  ["gold", "loaner_car", "代步车", 1, "month"],
  ["diamond", "pickup_delivery", "免费上门取送车", 2, "month"],
  ["diamond", "free_inspection", "免费检测", 8, "month"],
  ["diamond", "loaner_car", "代步车", 2, "month"],
];
const CATEGORIES = [
  ["maintenance", "保养", 100],
  ["repair", "维修", 100],
  ["parts", "配件", 100],
  ["car_wash", "洗车美容", 100],
  ["insurance", "保险", 50],
  ["accessories", "精品附件", 50],
];
const RULES = [
  ["service_review", "服务评价", 50],
  ["referral_purchase", "推荐好友购车", 2000],
  ["referral_first_visit", "推荐好友首次到店", 200],
  ["store_event", "参加门店活动", 100],
];

export class Loyalty1763900000000 implements MigrationInterface {
  name = "Loyalty1763900000000";

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns("member", [
      new TableColumn({ name: "pointsBalance", type: "integer", default: 0 }),
      new TableColumn({ name: "tierCode", type: "varchar", length: "16", default: "'normal'" }),
    ]);
    await q.createTable(
      new Table({
        name: "points_ledger",
        columns: [
          col.id(),
          col.int("memberId"),
          col.int("delta"),
          col.int("balanceAfter"),
          col.varchar("reason", 24),
          col.varchar("reasonText", 200),
          col.varchar("refType", 24, true),
          col.varchar("refId", 64, true),
          col.varchar("idempotencyKey", 160),
          col.int("shortfall"),
          col.int("staffId", true),
          col.datetime("createdAt"),
        ],
        indices: [index("idx_ledger_member", ["memberId", "id"]), unique("uq_ledger_idempotency", ["idempotencyKey"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "points_lot",
        columns: [col.id(), col.int("memberId"), col.int("ledgerId"), col.int("points"), col.int("remaining"), col.datetime("expiresAt"), col.datetime("createdAt")],
        indices: [index("idx_lot_member_expiry", ["memberId", "expiresAt"]), index("idx_lot_expiry", ["expiresAt"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "consumption",
        columns: [
          col.id(),
          col.varchar("orderNo", 64),
          col.int("memberId"),
          col.int("storeId"),
          col.varchar("category", 24),
          col.int("amountFen"),
          col.int("pointsEarned"),
          col.varchar("status", 12),
          col.int("staffId"),
          col.datetime("createdAt"),
          col.datetime("voidedAt", true),
          col.varchar("voidReason", 200, true),
        ],
        indices: [unique("uq_consumption_order", ["orderNo"]), index("idx_consumption_member", ["memberId"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "earning_category",
        columns: [col.id(), col.varchar("code", 24), col.varchar("name", 32), col.int("multiplierPct"), col.bool("active")],
        indices: [unique("uq_earning_category_code", ["code"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "earning_rule",
        columns: [col.id(), col.varchar("code", 32), col.varchar("name", 32), col.int("points"), col.bool("active")],
        indices: [unique("uq_earning_rule_code", ["code"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "tier",
        columns: [
          col.id(),
          col.varchar("code", 16),
          col.varchar("name", 16),
          col.int("threshold"),
          col.int("sortOrder"),
          col.int("multiplierPct"),
          col.int("birthdayMultiplierPct"),
          col.int("labourDiscountPct"),
        ],
        indices: [unique("uq_tier_code", ["code"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "tier_history",
        columns: [col.id(), col.int("memberId"), col.varchar("fromTier", 16, true), col.varchar("toTier", 16), col.varchar("reason", 200), col.int("earned12m"), col.datetime("createdAt")],
        indices: [index("idx_tier_history_member", ["memberId"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "tier_benefit",
        columns: [col.id(), col.varchar("tierCode", 16), col.varchar("code", 32), col.varchar("name", 32), col.int("quota"), col.varchar("period", 8)],
        indices: [unique("uq_tier_benefit", ["tierCode", "code"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "benefit_usage",
        columns: [col.id(), col.int("memberId"), col.varchar("benefitCode", 32), col.varchar("periodKey", 8), col.int("used")],
        indices: [unique("uq_benefit_usage", ["memberId", "benefitCode", "periodKey"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "benefit_redemption",
        columns: [
          col.id(),
          col.int("memberId"),
          col.varchar("benefitCode", 32),
          col.varchar("periodKey", 8),
          col.varchar("reference", 64),
          col.int("staffId", true),
          col.int("storeId", true),
          col.datetime("createdAt"),
        ],
        indices: [unique("uq_benefit_redemption", ["memberId", "benefitCode", "reference"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "coupon_template",
        columns: [
          col.id(),
          col.varchar("name", 64),
          col.varchar("kind", 12),
          col.int("valueFen", true),
          col.int("percentOff", true),
          col.int("maxDiscountFen", true),
          col.int("thresholdFen"),
          col.varchar("serviceName", 64, true),
          col.datetime("validFrom", true),
          col.datetime("validTo", true),
          col.int("validDays", true),
          col.int("totalStock"),
          col.int("issuedCount"),
          col.int("perMemberLimit", true),
          col.varchar("tierCodes", 100, true),
          col.varchar("channel", 12),
          col.int("pointsCost", true),
          col.int("storeId", true),
          col.varchar("status", 12),
          col.varchar("jobCode", 32, true),
          col.int("createdBy", true),
          col.datetime("createdAt"),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: "coupon",
        columns: [
          col.id(),
          col.varchar("code", 20),
          col.int("templateId"),
          col.int("memberId"),
          col.varchar("status", 12),
          col.varchar("issuedVia", 12),
          col.datetime("validFrom"),
          col.datetime("validTo"),
          col.datetime("usedAt", true),
          col.varchar("usedOrderNo", 64, true),
          col.int("usedStoreId", true),
          col.int("usedByStaffId", true),
          col.int("discountFen", true),
          col.varchar("voidReason", 200, true),
          col.varchar("issueKey", 100, true),
          col.varchar("issueNote", 200, true),
          col.datetime("createdAt"),
        ],
        indices: [
          unique("uq_coupon_code", ["code"]),
          unique("uq_coupon_issue_key", ["issueKey"]),
          index("idx_coupon_template", ["templateId"]),
          index("idx_coupon_member", ["memberId", "status"]),
          index("idx_coupon_expiry", ["status", "validTo"]),
        ],
      }),
    );
    await q.createTable(
      new Table({
        name: "coupon_claim_counter",
        columns: [col.id(), col.int("templateId"), col.int("memberId"), col.int("claimed")],
        indices: [unique("uq_coupon_claim_counter", ["templateId", "memberId"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "idempotency_record",
        columns: [
          col.id(),
          col.varchar("scope", 32),
          col.varchar("actor", 32),
          col.varchar("idemKey", 100),
          col.varchar("requestHash", 64),
          col.int("responseStatus"),
          col.text("responseBody"),
          col.datetime("createdAt"),
        ],
        indices: [unique("uq_idempotency", ["scope", "actor", "idemKey"])],
      }),
    );
    await q.createTable(
      new Table({
        name: "job_lease",
        columns: [{ ...col.varchar("name", 64), isPrimary: true }, col.varchar("owner", 64), col.datetime("lockedUntil")],
      }),
    );

    for (const row of TIERS) {
      await q.query("INSERT INTO tier (code, name, threshold, sortOrder, multiplierPct, birthdayMultiplierPct, labourDiscountPct) VALUES (?, ?, ?, ?, ?, ?, ?)", row);
    }
    for (const row of BENEFITS) await q.query("INSERT INTO tier_benefit (tierCode, code, name, quota, period) VALUES (?, ?, ?, ?, ?)", row);
    for (const row of CATEGORIES) await q.query("INSERT INTO earning_category (code, name, multiplierPct, active) VALUES (?, ?, ?, 1)", row);
    for (const row of RULES) await q.query("INSERT INTO earning_rule (code, name, points, active) VALUES (?, ?, ?, 1)", row);
  }

  async down(q: QueryRunner): Promise<void> {
    const tables = ["job_lease", "idempotency_record", "coupon_claim_counter", "coupon", "coupon_template", "benefit_redemption", "benefit_usage", "tier_benefit", "tier_history", "tier", "earning_rule", "earning_category", "consumption", "points_lot", "points_ledger"];
    for (const table of tables) await q.dropTable(table);
    await q.dropColumn("member", "tierCode");
    await q.dropColumn("member", "pointsBalance");
  }
}
