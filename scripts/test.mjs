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

// The race tests also run across two nodes of a Galera cluster when TEST_GALERA_URLS names its nodes
// (scripts/galera.sh start prints them; .ci/run starts the cluster and sets it).
const galera = (process.env.TEST_GALERA_URLS ?? "").split(",").filter(Boolean);
if (galera.length >= 2) {
  const answers = await Promise.all(galera.map(reachable));
  const down = galera.filter((_, i) => answers[i] !== true);
  if (down.length) {
    const lines = [`Galera nodes not reachable: ${down.join(", ")}`, "Start the cluster with scripts/galera.sh start, or unset TEST_GALERA_URLS."];
    banner(lines);
    process.exit(1);
  }
  env.TEST_GALERA_URLS = galera.join(",");
  console.log(`Galera race suite: ON (${galera.length} nodes)`);
} else {
  delete env.TEST_GALERA_URLS;
  banner(["Galera race suite SKIPPED: TEST_GALERA_URLS is not set (scripts/galera.sh start, then set it as it prints)."]);
  if (inCi && process.env.GALERA_REQUIRED === "true") process.exit(1);
}

const vitest = (args, extraEnv = {}) => spawnSync(process.execPath, ["node_modules/vitest/vitest.mjs", "run", ...args], { stdio: "inherit", env: { ...env, ...extraEnv } });
let run = vitest(process.argv.slice(2));
// Tests that disturb everything else (a Galera node killed, one cut off) run after the main suite,
// one file at a time: each stalls every write in the cluster for a few seconds.
if (run.status === 0 && galera.length >= 2 && process.argv.length <= 2) {
  console.log("\nSerial tests (a Galera node is killed and rejoins; a node is cut off and let back):");
  run = vitest(["--no-file-parallelism", ".serial.test.ts"], { SERIAL_TESTS: "1" });
}
if (result !== true) banner(["Reminder: the MariaDB suite was SKIPPED; only SQLite was tested."]);
if (galera.length < 2) banner(["Reminder: the Galera race suite was SKIPPED (TEST_GALERA_URLS not set)."]);
process.exit(run.status ?? 1);
