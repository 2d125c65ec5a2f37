import { pino } from "pino";
import { createApp } from "./app.js";
import { ConfigError, loadConfig, type Config } from "./config.js";
import { createDataSource } from "./db/data-source.js";
import { Database } from "./db/database.js";
import { migrate } from "./db/migrate.js";
import { seed } from "./db/seed.js";
import { startScheduler } from "./jobs/scheduler.js";
import { WechatClient } from "./auth/wechat-client.js";
import { databaseTokenStore } from "./notify/wechat-token.js";

const SHUTDOWN_GRACE_MS = 10_000;

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(1);
    }
    throw err;
  }
}

async function main() {
  const config = readConfig();
  const logger = pino({ level: config.logLevel });
  const dataSource = createDataSource(config.databaseUrl);
  await dataSource.initialize();
  const db = new Database(dataSource, { ...config.database, logger });
  let seeded: Awaited<ReturnType<typeof seed>> = { seeded: false, generatedAdminPassword: null, demoAccounts: null };
  const applied = await migrate(dataSource, async () => {
    seeded = await seed(db, config);
  });
  if (applied.length) logger.info({ applied }, "migrations applied");
  const { generatedAdminPassword } = seeded;
  if (seeded.seeded) logger.info("demo data created");
  if (generatedAdminPassword) {
    console.log(`\n管理员账号已创建：用户名 admin，初始密码 ${generatedAdminPassword}\n（只显示这一次，请登录后妥善保管；也可用 ADMIN_PASSWORD 指定）\n`);
  }
  if (seeded.demoAccounts) console.log(`${seeded.demoAccounts}\n`);

  const wechat = new WechatClient({ ...config.wechat, tokenStore: databaseTokenStore(db) });
  const clock = () => new Date();
  const stopJobs = config.jobsEnabled ? startScheduler({ db, config, wechat, logger, clock }) : () => {};
  const app = createApp({ config, db, logger, wechat, clock });
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === "object" && address ? address.port : config.port;
    console.log(`API 已启动：http://${config.host}:${port} （数据库：${dataSource.options.type}）`);
  });

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    stopJobs();
    setTimeout(() => {
      logger.error("shutdown took too long, exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    server.close(async () => {
      await dataSource.destroy();
      logger.info("shutdown complete");
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

main().catch((err) => {
  console.error("启动失败：", err);
  process.exit(1);
});
