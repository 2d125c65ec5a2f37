import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // *.serial.test.ts disturb everything else (a Galera node killed): scripts/test.mjs runs them alone afterwards
    exclude: ["**/node_modules/**", ...(process.env.SERIAL_TESTS ? [] : ["test/**/*.serial.test.ts"])],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: { NODE_ENV: "test" },
  },
});
