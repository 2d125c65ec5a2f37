// `npm run console:build` (also run by postinstall): vite build of console/ into console/dist.
// Skips with a warning when vite is not installed (npm ci --omit=dev), so a server-only install works.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const vite = "node_modules/vite/bin/vite.js";
if (!existsSync(vite)) {
  console.warn("console: vite is not installed (dev dependencies omitted), the staff console was not built");
  process.exit(0);
}
const run = spawnSync(process.execPath, [vite, "build", "--config", "console/vite.config.ts", "--logLevel", "warn"], { stdio: "inherit" });
process.exit(run.status ?? 1);
