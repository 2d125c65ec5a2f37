// Copies into miniprogram/miniprogram_npm/tdesign-miniprogram only the TDesign components the mini-program uses.
// Which ones: every usingComponents entry of the mini-program's own .json files that points into TDesign,
// then every file those components reach (their usingComponents, JS imports, <wxs>/<import>/<include>, @import).
// Each .js becomes CommonJS (DevTools would transpile TDesign's ES modules; miniprogram-simulate cannot) and a bare
// `tslib` (or other bundled package) import becomes a relative path to the copy TDesign ships in its own miniprogram_npm.
// Usage: node scripts/copy-tdesign.mjs [--src miniprogram] [--out miniprogram/miniprogram_npm/tdesign-miniprogram]
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, posix, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { transformSync } from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(ROOT, "node_modules/tdesign-miniprogram/miniprogram_dist");
const PREFIXES = ["/miniprogram_npm/tdesign-miniprogram/", "miniprogram_npm/tdesign-miniprogram/", "tdesign-miniprogram/"];

function option(name, fallback) {
  const at = process.argv.indexOf(name);
  return at > 0 ? resolve(process.argv[at + 1]) : fallback;
}
const src = option("--src", join(ROOT, "miniprogram"));
const out = option("--out", join(src, "miniprogram_npm/tdesign-miniprogram"));

/** Every .json of the mini-program itself (pages, components, app.json), skipping generated and installed code. */
function ownJsonFiles(dir) {
  const found = [];
  for (const name of readdirSync(dir)) {
    if (name === "miniprogram_npm" || name === "node_modules" || name.startsWith(".")) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found.push(...ownJsonFiles(path));
    else if (name.endsWith(".json")) found.push(path);
  }
  return found;
}

/** TDesign component paths (relative to miniprogram_dist, e.g. "button/button") the mini-program names. */
function usedComponents() {
  const used = new Set();
  for (const file of ownJsonFiles(src)) {
    const json = JSON.parse(readFileSync(file, "utf8"));
    for (const target of Object.values(json.usingComponents ?? {})) {
      const prefix = PREFIXES.find((p) => String(target).startsWith(p));
      if (prefix) used.add(String(target).slice(prefix.length));
    }
  }
  return [...used].sort();
}

const files = new Set(); // paths relative to DIST, posix
const pending = [];
function want(rel) {
  const normal = posix.normalize(rel);
  if (normal.startsWith("..") || files.has(normal) || !existsSync(join(DIST, normal))) return;
  files.add(normal);
  pending.push(normal);
}
function wantComponent(base) {
  for (const ext of [".js", ".json", ".wxml", ".wxss"]) want(base + ext);
}
/** A JS specifier to the file it loads: relative paths, index.js of folders, and the packages TDesign bundles. */
function resolveJs(from, spec) {
  if (!spec.startsWith(".")) return resolveJs("index.js", `./miniprogram_npm/${spec}`);
  const base = posix.join(posix.dirname(from), spec);
  for (const candidate of [base, `${base}.js`, `${base}/index.js`]) {
    if (existsSync(join(DIST, candidate)) && statSync(join(DIST, candidate)).isFile()) return candidate;
  }
  return null;
}
const JS_SPEC = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["']([^"']+)["']/g;

function followDependencies(rel) {
  const text = readFileSync(join(DIST, rel), "utf8");
  const dir = posix.dirname(rel);
  if (rel.endsWith(".json")) {
    for (const target of Object.values(JSON.parse(text).usingComponents ?? {})) wantComponent(posix.join(dir, String(target)));
  } else if (rel.endsWith(".js") || rel.endsWith(".wxs")) {
    for (const [, spec] of text.matchAll(JS_SPEC)) {
      const target = resolveJs(rel, spec);
      if (target) want(target);
    }
  } else if (rel.endsWith(".wxml")) {
    for (const [, spec] of text.matchAll(/<(?:wxs|import|include)\b[^>]*\bsrc="([^"]+)"/g)) want(posix.join(dir, spec));
  } else if (rel.endsWith(".wxss")) {
    for (const [, spec] of text.matchAll(/@import\s+["']([^"']+)["']/g)) want(posix.join(dir, spec));
  }
}

/** ES module → CommonJS, bare package imports → relative paths into TDesign's bundled miniprogram_npm. */
function convertJs(rel, code) {
  const rewritten = code.replace(JS_SPEC, (match, spec) => {
    if (spec.startsWith(".")) return match;
    const target = resolveJs(rel, spec);
    if (!target) return match;
    let path = posix.relative(posix.dirname(rel), target).replace(/\.js$/, "");
    if (!path.startsWith(".")) path = `./${path}`;
    return match.replace(spec, path);
  });
  return transformSync(rewritten, { format: "cjs", target: "es2018", loader: "js", minify: true }).code;
}

const components = usedComponents();
for (const component of components) wantComponent(component);
while (pending.length) followDependencies(pending.pop());

rmSync(out, { recursive: true, force: true });
let bytes = 0;
for (const rel of [...files].sort()) {
  const target = join(out, rel);
  mkdirSync(dirname(target), { recursive: true });
  if (rel.endsWith(".js")) writeFileSync(target, convertJs(rel, readFileSync(join(DIST, rel), "utf8")));
  else cpSync(join(DIST, rel), target);
  bytes += statSync(target).size;
}
const version = JSON.parse(readFileSync(join(DIST, "../package.json"), "utf8")).version;
console.log(`tdesign-miniprogram ${version}: ${components.length} components named (${components.join(", ") || "none"}), ${files.size} files, ${(bytes / 1024).toFixed(0)} KB → ${relative(ROOT, out) || out}`);
