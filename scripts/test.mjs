// `npm test`: runs the whole vitest suite on SQLite and, when a MariaDB/MySQL server answers, on it too.
// In CI (CI=true) a missing MariaDB is a failure; on a laptop it is a loud warning.
import { spawnSync } from "node:child_process";
import { createConnection } from "mysql2/promise";

const url = process.env.TEST_MYSQL_URL ?? "mariadb://root@127.0.0.1:3306/test";
const inCi = ["1", "true"].includes(String(process.env.CI).toLowerCase());

async function reachable(target) {
  const u = new URL(target);
  try {
    const c = await createConnection({ host: u.hostname, port: Number(u.port || 3306), user: decodeURIComponent(u.username), password: decodeURIComponent(u.password), connectTimeout: 3000 });
    await c.query("SELECT 1");
    await c.end();
    return true;
  } catch (err) {
    return err;
  }
}

const banner = (lines) => console.error(["", "!".repeat(72), ...lines.map((l) => `!! ${l}`), "!".repeat(72), ""].join("\n"));

const result = await reachable(url);
const env = { ...process.env, NODE_ENV: "test" };
if (result === true) {
  env.TEST_MYSQL_URL = url;
  console.log(`MariaDB/MySQL suite: ON (${url.replace(/:[^:@/]*@/, ":***@")})`);
} else {
  delete env.TEST_MYSQL_URL;
  const lines = [`MariaDB/MySQL at ${url} is not reachable: ${result.code ?? result.message}`, "The MariaDB half of the suite (race tests included) is SKIPPED.", "Start MariaDB or set TEST_MYSQL_URL, or run .ci/run which installs it."];
  if (inCi) {
    banner(["CI=true and MariaDB is required.", ...lines]);
    process.exit(1);
  }
  banner(lines);
}

const run = spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...process.argv.slice(2)], { stdio: "inherit", env });
if (result !== true) banner(["Reminder: the MariaDB suite was SKIPPED; only SQLite was tested."]);
process.exit(run.status ?? 1);
