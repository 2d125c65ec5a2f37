// The real API on the bench database, in its own process (autocannon must not share its event loop).
// It counts the SQL statements it sends, so the bench can print statements per request.
import { DataSource, type Logger } from "typeorm";
import { createApp } from "../server/app.js";
import { loadConfig } from "../server/config.js";
import { dataSourceOptions } from "../server/db/data-source.js";
import { Database } from "../server/db/database.js";

let statements = 0;
let served = 0; // requests received, counted here: the load generator leaves requests in flight at the end of a window
// BENCH_SQL_DETAIL=1: on exit, print how often each statement ran (what a change in SQL/request is made of)
const detail = process.env.BENCH_SQL_DETAIL ? new Map<string, number>() : null;
const counting: Logger = {
  logQuery: (query) => {
    statements++;
    if (detail) detail.set(query.slice(0, 90), (detail.get(query.slice(0, 90)) ?? 0) + 1);
  },
  logQueryError: () => undefined,
  logQuerySlow: () => undefined,
  logSchemaBuild: () => undefined,
  logMigration: () => undefined,
  log: () => undefined,
};

const config = loadConfig();
const dataSource = new DataSource({ ...dataSourceOptions(config.databaseUrl), logger: counting });
await dataSource.initialize();
const server = createApp({ config, db: new Database(dataSource, config.database) }).listen(0, "127.0.0.1", () => {
  process.send?.({ port: (server.address() as { port: number }).port });
});
server.on("request", () => served++);
process.on("message", (msg) => {
  if (msg === "statements") process.send?.({ statements, served, cpu: process.cpuUsage() });
  if (msg === "exit") {
    for (const [query, n] of [...(detail ?? [])].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(String(n).padStart(8), query.replace(/\s+/g, " "));
    process.exit(0); // lets --cpu-prof write its profile
  }
});
