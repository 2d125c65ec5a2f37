import type { DataSource } from "typeorm";

/** Runs pending migrations; on MySQL a named lock keeps several instances starting at once from racing. */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  if (dataSource.options.type === "better-sqlite3") {
    return (await dataSource.runMigrations({ transaction: "each" })).map((m) => m.name);
  }
  const lock = dataSource.createQueryRunner();
  try {
    const [row] = await lock.query("SELECT GET_LOCK('aftersales_migrations', 120) AS ok");
    if (Number(row.ok) !== 1) throw new Error("could not take the migration lock within 120 s");
    return (await dataSource.runMigrations({ transaction: "each" })).map((m) => m.name);
  } finally {
    await lock.query("SELECT RELEASE_LOCK('aftersales_migrations')").catch(() => undefined);
    await lock.release();
  }
}
