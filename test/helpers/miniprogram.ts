import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { DatabaseKind } from "./databases.js";
import { startTestApp, type TestApp } from "./app.js";

const require = createRequire(import.meta.url);

/**
 * A jsdom document on Node's globals, for miniprogram-simulate. The tests run in vitest's node environment
 * because they also start the real server in-process (its files read data beside them through import.meta.url,
 * and esbuild refuses jsdom's TextEncoder); only what Node lacks is taken from the jsdom window.
 */
function installDom(): void {
  const g = globalThis as Record<string, unknown>;
  if (g.document) return;
  const { JSDOM } = require("jsdom") as { JSDOM: new (html: string, options: object) => { window: Window } };
  const dom = new JSDOM("<!doctype html><html><head></head><body></body></html>", { pretendToBeVisual: true, url: "http://localhost/" });
  const win = dom.window as unknown as Record<string, unknown>;
  // DOM events must be jsdom's own (Node 20 has an Event class of its own that jsdom refuses)
  const domOwned = new Set(["Event", "CustomEvent", "EventTarget", "MessageEvent"]);
  for (const key of Object.getOwnPropertyNames(win)) {
    if ((key in g && !domOwned.has(key)) || key.startsWith("_")) continue;
    try {
      g[key] = win[key];
    } catch {
      // a few window getters refuse to be read off their window
    }
  }
  g.window = dom.window;
  g.document = dom.window.document;
}
installDom();
export const simulate = require("miniprogram-simulate");

let built: string | null = null;

/**
 * The mini-program as DevTools would build it (scripts/build-miniprogram.mjs: .ts → CommonJS .js, TDesign's used
 * components copied into miniprogram_npm) in a fresh folder. Run as its own process: esbuild refuses jsdom's globals.
 */
export function buildMiniprogram(): string {
  if (built) return built;
  const out = mkdtempSync(join(tmpdir(), "miniprogram-"));
  execFileSync(process.execPath, ["scripts/build-miniprogram.mjs", out], { stdio: "pipe" });
  return (built = out);
}

export function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export interface Navigation {
  kind: "navigateTo" | "redirectTo" | "switchTab" | "reLaunch" | "navigateBack";
  url: string;
}

export interface WxRequestRecord {
  method: string;
  url: string;
  header: Record<string, string>;
  data?: unknown;
}

/** What the wx shim saw and how it answers; tests read and set these. */
export interface WxShim {
  storage: Map<string, unknown>;
  toasts: string[];
  requests: WxRequestRecord[];
  navigations: Navigation[];
  modals: { title?: string; content?: string }[];
  /** template ids of each wx.requestSubscribeMessage call */
  subscribeAsks: string[][];
  /** the answer per template id; "accept" unless set */
  subscribeAnswer: (templateId: string) => string;
  /** the answer to the next showModal calls (confirm unless set) */
  modalAnswer: boolean;
  /** the server handles the next request but the phone never hears back (a lost response) */
  loseNextResponse: boolean;
  clipboard: string;
  loadingShown: number;
  pullDownStops: number;
  /** the files (paths the test wrote) wx.chooseMedia hands over next; empty: the member closes the picker */
  chosenMedia: string[];
  /** numbers passed to wx.makePhoneCall */
  phoneCalls: string[];
}

type Callbacks<T> = { success?: (res: T) => void; fail?: (err: unknown) => void; complete?: () => void };
function answer<T>(cb: Callbacks<T>, res: T) {
  cb.success?.(res);
  cb.complete?.();
}

/**
 * Installs `wx`, `getApp` and `getCurrentPages` on globalThis: what TDesign reads (system, window and menu
 * button info, selector queries, nextTick) and what the services use, with wx.request and wx.uploadFile
 * reaching a real server over HTTP. `loginCode` names each wx.login code (register it with the fake WeChat).
 */
export function installWx(options: { loginCode: () => string }): WxShim {
  const shim: WxShim = { storage: new Map(), toasts: [], requests: [], navigations: [], modals: [], subscribeAsks: [], subscribeAnswer: () => "accept", modalAnswer: true, loseNextResponse: false, clipboard: "", loadingShown: 0, pullDownStops: 0, chosenMedia: [], phoneCalls: [] };
  const windowInfo = { pixelRatio: 2, screenWidth: 375, screenHeight: 812, windowWidth: 375, windowHeight: 812, statusBarHeight: 44, safeArea: { top: 44, bottom: 778, left: 0, right: 375, width: 375, height: 734 }, screenTop: 0 };
  const baseInfo = { SDKVersion: "3.3.4", language: "zh_CN", version: "8.0.50", theme: "light", enableDebug: false, host: { env: "WeChat" } };
  const deviceInfo = { brand: "devtools", model: "iPhone 13", system: "iOS 16.0", platform: "devtools" };
  const navigate = (kind: Navigation["kind"]) => (req: { url?: string } & Callbacks<unknown>) => {
    shim.navigations.push({ kind, url: req.url ?? "" });
    answer(req, { errMsg: `${kind}:ok` });
  };
  const selectorQuery = () => {
    const query = {
      in: () => query,
      select: () => node,
      selectAll: () => node,
      selectViewport: () => node,
      exec: (cb?: (res: unknown[]) => void) => cb?.([null]),
    };
    const node = { boundingClientRect: (cb?: (r: unknown) => void) => (cb?.({ top: 0, left: 0, width: 375, height: 48, right: 375, bottom: 48 }), query), fields: () => query, scrollOffset: () => query, node: () => query };
    return query;
  };
  const wx = {
    getSystemInfoSync: () => ({ ...windowInfo, ...baseInfo, ...deviceInfo }),
    getWindowInfo: () => windowInfo,
    getAppBaseInfo: () => baseInfo,
    getDeviceInfo: () => deviceInfo,
    getMenuButtonBoundingClientRect: () => ({ top: 48, bottom: 80, left: 281, right: 368, width: 87, height: 32 }),
    onMenuButtonBoundingClientRectWeightChange: () => undefined,
    offMenuButtonBoundingClientRectWeightChange: () => undefined,
    getLaunchOptionsSync: () => ({ path: "pages/index/index", query: {}, scene: 1001 }),
    createSelectorQuery: selectorQuery,
    nextTick: (fn: () => void) => setTimeout(fn, 0),
    login: (req: Callbacks<{ code: string }>) => answer(req, { code: options.loginCode() }),
    getStorageSync: (key: string) => shim.storage.get(key) ?? "",
    setStorageSync: (key: string, value: unknown) => shim.storage.set(key, value),
    removeStorageSync: (key: string) => shim.storage.delete(key),
    showToast: (req: { title: string }) => shim.toasts.push(req.title),
    hideToast: () => undefined,
    showLoading: () => shim.loadingShown++,
    hideLoading: () => undefined,
    stopPullDownRefresh: () => shim.pullDownStops++,
    vibrateShort: () => undefined,
    setClipboardData: (req: { data: string } & Callbacks<unknown>) => ((shim.clipboard = req.data), answer(req, {})),
    showModal: (req: { title?: string; content?: string } & Callbacks<{ confirm: boolean; cancel: boolean }>) => {
      shim.modals.push({ title: req.title, content: req.content });
      setTimeout(() => answer(req, { confirm: shim.modalAnswer, cancel: !shim.modalAnswer }), 0);
    },
    requestSubscribeMessage: (req: { tmplIds: string[] } & Callbacks<Record<string, string>>) => {
      shim.subscribeAsks.push([...req.tmplIds]);
      const res: Record<string, string> = { errMsg: "requestSubscribeMessage:ok" };
      for (const id of req.tmplIds) res[id] = shim.subscribeAnswer(id);
      setTimeout(() => answer(req, res), 0);
    },
    chooseMedia: (req: { count?: number } & Callbacks<{ type: string; tempFiles: { tempFilePath: string; size: number; fileType: string }[] }>) => {
      const files = shim.chosenMedia.splice(0).slice(0, req.count ?? 9);
      if (!files.length) return setTimeout(() => (req.fail?.({ errMsg: "chooseMedia:fail cancel" }), req.complete?.()), 0);
      setTimeout(() => answer(req, { type: "image", tempFiles: files.map((f) => ({ tempFilePath: f, size: statSync(f).size, fileType: "image" })) }), 0);
    },
    previewImage: () => undefined,
    makePhoneCall: (req: { phoneNumber: string } & Callbacks<unknown>) => (shim.phoneCalls.push(req.phoneNumber), answer(req, {})),
    navigateTo: navigate("navigateTo"),
    redirectTo: navigate("redirectTo"),
    switchTab: navigate("switchTab"),
    reLaunch: navigate("reLaunch"),
    navigateBack: navigate("navigateBack"),
    request: (req: { url: string; method?: string; data?: object; header?: Record<string, string> } & Callbacks<{ statusCode: number; data: unknown; header: Record<string, string> }>) => {
      const method = req.method ?? "GET";
      const header = req.header ?? {};
      shim.requests.push({ method, url: req.url, header, data: req.data });
      const lose = shim.loseNextResponse;
      shim.loseNextResponse = false;
      let url = req.url;
      if (method === "GET" && req.data) url += (url.includes("?") ? "&" : "?") + new URLSearchParams(Object.entries(req.data).map(([k, v]) => [k, String(v)])).toString();
      fetch(url, { method, headers: { "content-type": "application/json", ...header }, body: method === "GET" ? undefined : JSON.stringify(req.data ?? {}) })
        .then(async (res) => {
          const text = await res.text();
          if (lose) throw new Error("response lost");
          answer(req, { statusCode: res.status, data: text ? JSON.parse(text) : "", header: Object.fromEntries(res.headers) });
        })
        .catch((err) => (req.fail?.({ errMsg: `request:fail ${err}` }), req.complete?.()));
    },
    downloadFile: (req: { url: string; header?: Record<string, string> } & Callbacks<{ statusCode: number; tempFilePath: string }>) => {
      shim.requests.push({ method: "DOWNLOAD", url: req.url, header: req.header ?? {} });
      fetch(req.url, { headers: req.header ?? {} })
        .then(async (res) => {
          const path = join(mkdtempSync(join(tmpdir(), "wx-download-")), "file");
          writeFileSync(path, Buffer.from(await res.arrayBuffer()));
          answer(req, { statusCode: res.status, tempFilePath: path });
        })
        .catch((err) => (req.fail?.({ errMsg: `downloadFile:fail ${err}` }), req.complete?.()));
    },
    uploadFile: (req: { url: string; filePath: string; name: string; header?: Record<string, string>; formData?: Record<string, string> } & Callbacks<{ statusCode: number; data: string }>) => {
      shim.requests.push({ method: "UPLOAD", url: req.url, header: req.header ?? {}, data: { filePath: req.filePath, name: req.name } });
      const boundary = `----mpshim${Date.now().toString(16)}`;
      const parts: Buffer[] = [];
      for (const [key, value] of Object.entries(req.formData ?? {})) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${key}"\r\n\r\n${value}\r\n`));
      parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${req.name}"; filename="${basename(req.filePath)}"\r\nContent-Type: application/octet-stream\r\n\r\n`), readFileSync(req.filePath), Buffer.from(`\r\n--${boundary}--\r\n`));
      fetch(req.url, { method: "POST", headers: { ...(req.header ?? {}), "content-type": `multipart/form-data; boundary=${boundary}` }, body: Buffer.concat(parts) })
        .then(async (res) => answer(req, { statusCode: res.status, data: await res.text() }))
        .catch((err) => (req.fail?.({ errMsg: `uploadFile:fail ${err}` }), req.complete?.()));
    },
  };
  const g = globalThis as Record<string, unknown>;
  g.wx = wx;
  g.getApp = () => ({ globalData: {} });
  g.getCurrentPages = () => currentPages;
  return shim;
}

let currentPages: { route: string; options: Record<string, string> }[] = [];

/** Renders a page (built with Component()) as WeChat opens it: attached, then onLoad(query) and onShow(). */
export function renderPage(root: string, page: string, query: Record<string, string> = {}) {
  currentPages = [{ route: page, options: query }];
  const comp = simulate.render(simulate.load(join(root, page), { rootPath: root }));
  comp.attach(document.createElement("parent-wrapper"));
  comp.instance.onLoad?.(query);
  comp.instance.onShow?.();
  return comp;
}

/** Waits until `check` holds (event handlers and requests are async); fails after ~5 s. */
export async function until(check: () => unknown, what = "condition"): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await simulate.sleep(10);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Taps a TDesign button (<t-button id="x">) or any element found by selector. */
export function tap(comp: { querySelector(s: string): any }, selector: string): void {
  const found = comp.querySelector(selector);
  if (!found) throw new Error(`nothing matches ${selector}`);
  (found.querySelector(".t-button") ?? found).dispatchEvent("tap");
}

/** The rendered text, whitespace collapsed: what the member reads. */
export function textOf(comp: { dom: { textContent: string | null } }): string {
  return (comp.dom.textContent ?? "").replace(/\s+/g, " ").trim();
}

export interface MiniprogramServer {
  api: TestApp;
  url: string;
  close(): Promise<void>;
}

/** The real app (startTestApp) listening on a local port, so the page's wx.request goes over HTTP to it. */
export async function startMiniprogramServer(kind: DatabaseKind, env: Record<string, string> = {}): Promise<MiniprogramServer> {
  const api = await startTestApp(kind, {
    WECHAT_TEMPLATE_BOOKING_REMINDER: "tmpl-booking-reminder",
    WECHAT_TEMPLATE_MAINTENANCE_DUE: "tmpl-maintenance-due",
    WECHAT_TEMPLATE_COMPLAINT_RESOLVED: "tmpl-complaint-resolved",
    WECHAT_TEMPLATE_COUPON_EXPIRING: "tmpl-coupon-expiring",
    WECHAT_TEMPLATE_POINTS_EXPIRING: "tmpl-points-expiring",
    ...env,
  });
  const server: Server = createServer(api.app.callback());
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    api,
    url,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      await api.close();
    },
  };
}

/**
 * Everything a page test needs: the server, the built mini-program with its services pointed at it, and a wx
 * shim whose wx.login codes log in as `openid` through the fake WeChat (the seed's demo-member-1 by default).
 */
export async function startMiniprogram(kind: DatabaseKind, options: { openid?: string; env?: Record<string, string> } = {}) {
  const server = await startMiniprogramServer(kind, options.env);
  const root = buildMiniprogram();
  let codes = 0;
  let openid = options.openid ?? "demo-member-1";
  const wx = installWx({
    loginCode: () => {
      const code = `mp-${kind}-${++codes}`;
      if (openid) server.api.wechat.loginCodes.set(code, { openid });
      return code;
    },
  });
  const services = (name: string) => require(join(root, "services", `${name}.js`));
  services("request").setBaseUrl(server.url);
  return {
    ...server,
    root,
    wx,
    services,
    /** who the next wx.login is (null: WeChat refuses the code) */
    loginAs(next: string | null) {
      openid = next ?? "";
      wx.storage.clear();
    },
    render: (page: string, query?: Record<string, string>) => renderPage(root, page, query),
  };
}
