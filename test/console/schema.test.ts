import { readFile } from "node:fs/promises";
import { expect, it } from "vitest";
import { renderSchema, SCHEMA_FILE } from "../../scripts/console-types.js";

it("console/src/api/schema.d.ts matches the server's OpenAPI document (run npm run console:types when this fails)", async () => {
  expect(await readFile(SCHEMA_FILE, "utf8")).toBe(await renderSchema());
}, 60_000);
