// Serves the built staff console (console/dist, `npm run console:build`) at /console on the API's port.
// index.html for every deep link under /console/*, a year's cache for the hashed files in assets/.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type Koa from "koa";

const DEFAULT_DIST = fileURLToPath(new URL("../../console/dist", import.meta.url));
const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml", ".png": "image/png", ".ico": "image/x-icon", ".woff": "font/woff", ".woff2": "font/woff2", ".json": "application/json",
};
const NOT_BUILT = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>员工工作台尚未构建</title>
<body style="font-family:sans-serif;padding:40px;line-height:1.8"><h1>员工工作台尚未构建</h1>
<p>没有找到 <code>console/dist</code>。请在项目目录运行 <code>npm run console:build</code>（<code>npm install</code> 时会自动构建），然后刷新本页。</p>
<p>接口不受影响：<a href="/api/v1/openapi.json">/api/v1/openapi.json</a></p></body></html>`;

async function fileAt(file: string) {
  return stat(file).then((s) => (s.isFile() ? s : null), () => null);
}

/** Koa middleware for /console; every other path goes on untouched. */
export function consoleStatic(dist = DEFAULT_DIST): Koa.Middleware {
  const root = path.resolve(dist);
  return async (ctx, next) => {
    if (ctx.path !== "/console" && !ctx.path.startsWith("/console/")) return next();
    if (ctx.method !== "GET" && ctx.method !== "HEAD") return next();
    if (ctx.path === "/console") return ctx.redirect("/console/");
    const index = path.join(root, "index.html");
    const indexStat = await fileAt(index);
    if (!indexStat) {
      ctx.status = 503;
      ctx.type = "text/html; charset=utf-8";
      ctx.body = NOT_BUILT;
      return;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(ctx.path.slice("/console/".length));
    } catch {
      relative = "";
    }
    const candidate = path.resolve(root, relative);
    const inside = candidate.startsWith(root + path.sep);
    const found = inside ? await fileAt(candidate) : null;
    if (!found && relative.startsWith("assets/")) return void (ctx.status = 404); // a stale hashed file: no HTML in its place
    const file = found ? candidate : index;
    const isAsset = !!found && relative.startsWith("assets/");
    ctx.set("Cache-Control", isAsset ? "public, max-age=31536000, immutable" : "no-cache");
    ctx.type = TYPES[path.extname(file)] ?? "application/octet-stream";
    ctx.body = ctx.method === "HEAD" ? Buffer.alloc(0) : createReadStream(file);
    ctx.length = (found ?? indexStat).size;
  };
}
