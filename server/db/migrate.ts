import type { DataSource } from "typeorm";
import { withStartupLock } from "./startup-lock.js";

/**
 * Runs pending migrations, then `after` (the seed), under one lock that holds across instances and
 * database nodes: any number of instances started together come up on one schema and one set of
 * demo data. Returns the names of the migrations this instance applied.
 */
export function migrate(dataSource: DataSource, after?: () => Promise<void>): Promise<string[]> {
  return withStartupLock(dataSource, "startup", async () => {
    const applied = (await dataSource.runMigrations({ transaction: "each" })).map((m) => m.name);
    await after?.();
    return applied;
  });
}
