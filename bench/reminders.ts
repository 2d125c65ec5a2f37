// npm run bench -- reminders — seeds 1 000 000 cars across 200 000 members in MariaDB (BENCH_MYSQL_URL)
// and times the daily maintenance-due job: finding the due cars through the nextDueDate index and
// enqueuing their reminders. Rows are made by the database itself (MariaDB's seq_1_to_N tables).
import { createConnection } from "mysql2/promise";
import { pino } from "pino";
import { loadConfig } from "../server/config.js";
import { createDataSource } from "../server/db/data-source.js";
import { Database } from "../server/db/database.js";
import { migrate } from "../server/db/migrate.js";
import { maintenanceDue } from "../server/notify/reminder.jobs.js";
import { todayInShanghai } from "../server/http/time.js";

const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 200_000);
const ASSETS = Number(process.env.BENCH_ASSETS ?? 1_000_000);
const server = new URL(process.env.BENCH_MYSQL_URL ?? "mariadb://root@127.0.0.1:3306");
const DB = "bench_reminders";

export async function benchReminders(): Promise<void> {
  const admin = await createConnection({ host: server.hostname, port: Number(server.port || 3306), user: server.username, password: server.password });
  await admin.query(`DROP DATABASE IF EXISTS ${DB}`);
  await admin.query(`CREATE DATABASE ${DB} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const config = loadConfig({ DATABASE_URL: `${server.protocol}//${server.username}${server.password ? ":" + server.password : ""}@${server.host}/${DB}`, LOG_LEVEL: "silent", NODE_ENV: "development", SEED_DEMO: "false" });
  const dataSource = createDataSource(config.databaseUrl);
  await dataSource.initialize();
  await migrate(dataSource);
  const db = new Database(dataSource, { logger: pino({ level: "silent" }) });
  const today = todayInShanghai(new Date());
  let began = Date.now();
  await dataSource.query("INSERT INTO store (code, name, address, phone, city, active, closedOnHolidays, createdAt) VALUES ('B1', '压测门店', '上海市', '021-1', '上海', 1, 0, NOW(3))");
  await dataSource.query(
    `INSERT INTO member (openid, memberCode, nickname, gender, storeId, assetCount, pointsBalance, tierCode, createdAt, updatedAt)
     SELECT CONCAT('bench-', seq), CONCAT('BR', LPAD(seq, 8, '0')), CONCAT('会员', seq), 'unknown', 1, 5, 0, 'normal', NOW(3), NOW(3) FROM seq_1_to_${MEMBERS}`,
  );
  // due dates spread evenly over a year around today: about 4 % of cars fall in the two 7-day windows
  await dataSource.query(
    `INSERT INTO asset (memberId, kind, plate, activePlate, model, mileage, createdAt, updatedAt, nextDueDate)
     SELECT 1 + (seq % ${MEMBERS}), 'car', CONCAT('沪', seq), CONCAT('沪', seq), '星途 揽月', 10000, NOW(3), NOW(3), DATE_ADD(?, INTERVAL CAST(seq % 365 AS SIGNED) - 182 DAY) FROM seq_1_to_${ASSETS}`,
    [today],
  );
  console.log(`seeded ${MEMBERS} members and ${ASSETS} cars in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  began = Date.now();
  const counts = await maintenanceDue(db, new Date());
  const seconds = (Date.now() - began) / 1000;
  console.log(`maintenance-due job: ${counts.due} due cars found and ${counts.enqueued} reminders enqueued in ${seconds.toFixed(1)} s (target < 30 s)`);
  began = Date.now();
  const again = await maintenanceDue(db, new Date());
  console.log(`run again (a second instance or a rerun): ${again.enqueued} new in ${((Date.now() - began) / 1000).toFixed(1)} s`);
  await dataSource.destroy();
}
