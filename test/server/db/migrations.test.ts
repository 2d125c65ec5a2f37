import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS, openTestDatabase, type TestDatabase } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("migrations on %s", (kind) => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase(kind, { migrate: false });
  });
  afterAll(() => t.close());

  it("create a schema that matches the entities exactly", async () => {
    const applied = await t.dataSource.runMigrations({ transaction: "each" });
    expect(applied.length).toBeGreaterThan(0);
    const pending = await t.dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it("has nothing left to run a second time", async () => {
    expect(await t.dataSource.showMigrations()).toBe(false);
  });

  it("can be reverted to an empty schema", async () => {
    const count = (await t.dataSource.runMigrations()).length;
    expect(count).toBe(0);
    for (const _ of t.dataSource.migrations) await t.dataSource.undoLastMigration({ transaction: "each" });
    const tables = await t.dataSource.createQueryRunner().getTables(["member", "store", "staff_account"]);
    expect(tables).toEqual([]);
  });
});
