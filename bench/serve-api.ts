// The real API on the bench database, in its own process (autocannon must not share its event loop).
import { createApp } from "../server/app.js";
import { loadConfig } from "../server/config.js";
import { createDataSource } from "../server/db/data-source.js";
import { Database } from "../server/db/database.js";

const config = loadConfig();
const dataSource = createDataSource(config.databaseUrl);
await dataSource.initialize();
const server = createApp({ config, db: new Database(dataSource) }).listen(0, "127.0.0.1", () => {
  process.send?.({ port: (server.address() as { port: number }).port });
});
