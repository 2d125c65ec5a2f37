// Browser-test plumbing: Debian's chromium through playwright-core against the real app on a local
// port, serving the built console (built once here when console/dist is missing or stale).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { describe } from "vitest";
import { startTestApp, STAFF_PASSWORD, type TestApp } from "../helpers/app.js";

export const CHROMIUM = "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"];
const ROOT = path.resolve(import.meta.dirname, "../..");
export const SHOTS = path.join(ROOT, "test-results", "console");

const required = process.env.CONSOLE_BROWSER_REQUIRED === "true";
const present = existsSync(CHROMIUM);
if (!present) {
  const line = `${CHROMIUM} is missing: the console browser tests are ${required ? "REQUIRED (CONSOLE_BROWSER_REQUIRED=true) and FAIL" : "SKIPPED"}. Install: apt-get install -y chromium fonts-wqy-microhei`;
  console.error(["", "!".repeat(72), `!! ${line}`, "!".repeat(72), ""].join("\n"));
}
/** describe() when chromium is there; skipped loudly without it, failing when CI requires it. */
export const describeBrowser = present || required ? describe : describe.skip;

function newestUnder(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds console/dist unless it is newer than every source file; one builder at a time across test files. */
export function ensureConsoleBuilt(): void {
  const built = path.join(ROOT, "console/dist/index.html");
  const sources = Math.max(newestUnder(path.join(ROOT, "console/src")), ...["index.html", "vite.config.ts"].map((f) => statSync(path.join(ROOT, "console", f)).mtimeMs));
  const fresh = () => existsSync(built) && statSync(built).mtimeMs >= sources;
  if (fresh()) return;
  const lock = path.join(os.tmpdir(), "aftersales-console-build.lock");
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (waited > 120_000) rmSync(lock, { recursive: true, force: true }); // a builder that died
      spawnSync("sleep", ["0.2"]);
    }
  }
  try {
    if (fresh()) return;
    const run = spawnSync(process.execPath, ["scripts/build-console.mjs"], { cwd: ROOT, stdio: "inherit", timeout: 180_000 });
    if (run.status !== 0) throw new Error("npm run console:build failed");
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface ConsoleRig {
  s: TestApp;
  base: string;
  browser: BrowserContext;
  /** a new tab (its own sessionStorage, so its own sign-in) at 1280×800 */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** The real app on SQLite with demo data, listening on a free port, and a fresh chromium profile. */
export async function startConsoleRig(): Promise<ConsoleRig> {
  ensureConsoleBuilt();
  const s = await startTestApp("sqlite");
  const server = http.createServer(s.app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const profile = mkdtempSync(path.join(os.tmpdir(), "console-chromium-"));
  const browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: FLAGS, viewport: { width: 1280, height: 800 }, locale: "zh-CN", timezoneId: "Asia/Shanghai" });
  mkdirSync(SHOTS, { recursive: true });
  return {
    s,
    base,
    browser,
    async newPage() {
      const page = await browser.newPage();
      page.setDefaultTimeout(10_000); // a missing element fails with its selector, well before the test's timeout
      return page;
    },
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
      await new Promise((resolve) => server.close(resolve));
      await s.close();
    },
  };
}

/** Signs a staff account in through the login page and waits for 工作台. */
export async function signIn(page: Page, base: string, username: string, password = STAFF_PASSWORD): Promise<void> {
  await page.goto(`${base}/console/login`);
  await page.getByPlaceholder("用户名").fill(username);
  await page.getByPlaceholder("密码").fill(password);
  await page.getByRole("button", { name: "登录" }).click();
  await page.waitForSelector("[data-test=dashboard-ready]");
}

/** Clicks an entry of the side menu. */
export const openMenu = (page: Page, title: string) => page.locator(".t-menu .t-menu__item", { hasText: title }).first().click();

/** Saves test-results/console/<name>.png once dialogs and toasts have finished animating. */
export async function shot(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => ![...document.querySelectorAll<HTMLElement>(".t-dialog__ctx")].some((d) => getComputedStyle(d).display !== "none" && d.querySelector(".t-dialog--default, .t-dialog__modal-default") && getComputedStyle(d).opacity !== "1"), null, { timeout: 2_000 }).catch(() => {});
  await page.waitForTimeout(300); // TDesign's fade-out
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}
