import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("the mini-program's TypeScript", () => {
  it("typechecks against miniprogram-api-typings (as WeChat DevTools' compiler would see it)", () => {
    const run = spawnSync(process.execPath, ["node_modules/typescript/bin/tsc", "--noEmit", "-p", "miniprogram/tsconfig.json"], { encoding: "utf8" });
    expect(run.stdout + run.stderr).toBe("");
    expect(run.status).toBe(0);
  }, 120_000);
});
