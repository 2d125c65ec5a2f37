// Builds the mini-program into a folder as WeChat DevTools would before upload: every .ts compiled to a CommonJS .js
// (esbuild; types are checked by `npm run typecheck`), templates, styles and json copied, npm-style TDesign
// usingComponents pointed into miniprogram_npm, and the TDesign components the pages name copied by copy-tdesign.mjs.
// The tests load pages from this folder. Usage: node scripts/build-miniprogram.mjs <out>
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCE = join(ROOT, "miniprogram");
const out = resolve(process.argv[2] ?? join(ROOT, ".build/miniprogram-dist"));

const walk = (dir) => readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));

rmSync(out, { recursive: true, force: true });
cpSync(SOURCE, out, { recursive: true, filter: (src) => !/^(miniprogram_npm|node_modules)\b/.test(relative(SOURCE, src)) && !src.endsWith(".md") });
for (const file of walk(out)) {
  if (file.endsWith(".ts")) {
    if (!file.endsWith(".d.ts")) writeFileSync(file.replace(/\.ts$/, ".js"), transformSync(readFileSync(file, "utf8"), { loader: "ts", format: "cjs", target: "es2019" }).code);
    rmSync(file);
  } else if (file.endsWith(".json")) {
    // WeChat resolves "tdesign-miniprogram/button/button"; miniprogram-simulate needs the path into miniprogram_npm
    writeFileSync(file, readFileSync(file, "utf8").replace(/"tdesign-miniprogram\//g, '"/miniprogram_npm/tdesign-miniprogram/'));
  }
}
execFileSync(process.execPath, [join(ROOT, "scripts/copy-tdesign.mjs"), "--src", SOURCE, "--out", join(out, "miniprogram_npm/tdesign-miniprogram")], { stdio: "inherit" });
