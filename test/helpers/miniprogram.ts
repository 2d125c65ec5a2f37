import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Compiles miniprogram/ with its own tsconfig into a fresh folder, templates and json included, as the developer tools would. */
export function buildMiniprogram(): string {
  const out = mkdtempSync(join(tmpdir(), "miniprogram-"));
  execFileSync(process.execPath, ["node_modules/typescript/bin/tsc", "-p", "miniprogram/tsconfig.json", "--outDir", out], { stdio: "inherit" });
  cpSync("miniprogram", out, { recursive: true, filter: (src) => !src.endsWith(".ts") });
  return out;
}

/** The wx APIs the services use, backed by real HTTP (fetch) and an in-memory storage; toasts are recorded. */
export function installWx(options: { loginCode: () => string }) {
  const storage = new Map<string, unknown>();
  const toasts: string[] = [];
  const wx = {
    login: ({ success }: { success: (res: { code: string }) => void }) => success({ code: options.loginCode() }),
    getStorageSync: (key: string) => storage.get(key) ?? "",
    setStorageSync: (key: string, value: unknown) => storage.set(key, value),
    removeStorageSync: (key: string) => storage.delete(key),
    showToast: ({ title }: { title: string }) => toasts.push(title),
    request: (req: { url: string; method: string; data?: object; header: Record<string, string>; success: (res: { statusCode: number; data: unknown }) => void; fail: (err: unknown) => void }) => {
      fetch(req.url, { method: req.method, headers: { "content-type": "application/json", ...req.header }, body: req.method === "GET" ? undefined : JSON.stringify(req.data ?? {}) })
        .then(async (res) => req.success({ statusCode: res.status, data: await res.json() }))
        .catch(req.fail);
    },
  };
  (globalThis as { wx?: unknown }).wx = wx;
  return { storage, toasts };
}
