import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { TEMPLATES, type MessageTemplate, type Vars } from "../../server/notify/templates.js";
import { buildMiniprogram, installWx, renderPage, walk, type WxShim } from "../helpers/miniprogram.js";

const require = createRequire(import.meta.url);
const MAIN_BUDGET = 1024 * 1024; // half of WeChat's 2 MB main-package limit
const TOTAL_BUDGET = 4 * 1024 * 1024;
/** what DevTools uploads: compiled code, templates, styles, config and images; never .ts, .d.ts, docs or tests */
const UPLOADED = /\.(js|json|wxml|wxss|wxs|png|jpe?g|gif|svg|webp)$/;
const NOT_UPLOADED = /(\.d\.ts|\.test\.js|(^|\/)(tsconfig|package|project\.config|project\.private\.config)\.json)$/;

interface AppJson {
  pages: string[];
  subPackages?: { root: string; pages: string[] }[];
  tabBar?: { list: { pagePath: string; text: string }[] };
}

let root: string;
let app: AppJson;
const roots = () => (app.subPackages ?? []).map((s) => s.root.replace(/\/?$/, "/"));
const allPages = () => [...app.pages, ...(app.subPackages ?? []).flatMap((s) => s.pages.map((p) => s.root.replace(/\/?$/, "/") + p))];

beforeAll(() => {
  root = buildMiniprogram();
  app = JSON.parse(readFileSync(join(root, "app.json"), "utf8"));
});

describe("the mini-program package", () => {
  it("has the four tabs in the main package and every listed page's four files", () => {
    expect(app.tabBar!.list.map((t) => t.text)).toEqual(["首页", "预约", "券包", "我的"]);
    for (const tab of app.tabBar!.list) expect(app.pages).toContain(tab.pagePath);
    for (const page of allPages()) for (const ext of [".js", ".json", ".wxml", ".wxss"]) expect(existsSync(join(root, page + ext)), page + ext).toBe(true);
    for (const subRoot of roots()) for (const page of app.pages) expect(page.startsWith(subRoot), `${page} is inside subpackage ${subRoot}`).toBe(false);
  });

  it("opens in WeChat DevTools as it is: placeholder appid, the TypeScript compiler plugin, both roots, every subpackage root present", () => {
    const project = JSON.parse(readFileSync(join(process.cwd(), "miniprogram/project.config.json"), "utf8"));
    expect(project).toMatchObject({ appid: "touristappid", compileType: "miniprogram", miniprogramRoot: "./", srcMiniprogramRoot: "./", setting: { useCompilerPlugins: ["typescript"] } });
    for (const subRoot of roots()) expect(existsSync(join(process.cwd(), "miniprogram", subRoot)), subRoot).toBe(true);
  });

  it("shows money through the one formatter from fen and dates in China time", () => {
    const format = require(join(root, "utils/format.js"));
    expect(format.yuan(123456)).toBe("¥1234.56");
    expect(format.yuan(5)).toBe("¥0.05");
    expect(format.shanghaiDateTime("2026-12-31T16:30:00.000Z")).toBe("2027-01-01 00:30");
    expect(format.shanghaiDate("2026-12-31T16:30:00.000Z")).toBe("2027-01-01");
    for (const file of walk(join(process.cwd(), "miniprogram")).filter((f) => /\.(ts|wxml)$/.test(f) && !f.includes("miniprogram_npm") && !f.endsWith("utils/format.ts"))) {
      const code = readFileSync(file, "utf8");
      expect(code, `${file} converts money itself`).not.toMatch(/\/\s*100\b|toFixed\(2\)/);
      expect(code, `${file} formats dates itself`).not.toMatch(/toLocale(Date|Time)?String|getHours\(|getDate\(/);
    }
  });

  it("stays under 1 MB for the main package and 4 MB in all, measured as DevTools uploads it", () => {
    let main = 0;
    let total = 0;
    for (const file of walk(root)) {
      const rel = relative(root, file).split("\\").join("/");
      if (!UPLOADED.test(rel) || NOT_UPLOADED.test(rel)) continue;
      // the sources sit beside their compiled .js in the build folder; only the .js is uploaded
      const size = statSync(file).size;
      total += size;
      if (!roots().some((r) => rel.startsWith(r))) main += size;
    }
    console.log(`mini-program package: main ${(main / 1024).toFixed(0)} KB, total ${(total / 1024).toFixed(0)} KB`);
    expect(main).toBeLessThan(MAIN_BUDGET);
    expect(total).toBeLessThan(TOTAL_BUDGET);
  });

  it("copies only the TDesign components the pages name, with what they pull in, as CommonJS without bare tslib imports", () => {
    const named = new Set<string>();
    for (const file of walk(join(process.cwd(), "miniprogram"))) {
      if (!file.endsWith(".json") || file.includes("miniprogram_npm")) continue;
      for (const target of Object.values<string>(JSON.parse(readFileSync(file, "utf8")).usingComponents ?? {})) {
        const m = /tdesign-miniprogram\/([\w-]+)\//.exec(target);
        if (m) named.add(m[1]);
      }
    }
    const npm = join(root, "miniprogram_npm/tdesign-miniprogram");
    for (const name of named) expect(existsSync(join(npm, name)), name).toBe(true);
    expect(existsSync(join(npm, "calendar")), "an unused component").toBe(false);
    expect(existsSync(join(npm, "miniprogram_npm/tslib/index.js"))).toBe(true);
    for (const file of walk(npm).filter((f) => f.endsWith(".js"))) {
      const code = readFileSync(file, "utf8");
      expect(code, file).not.toMatch(/^\s*(import|export)\s/m);
      expect(code, file).not.toMatch(/require\(["']tslib["']\)/);
    }
    for (const file of walk(npm)) expect(file.endsWith(".d.ts"), file).toBe(false);
  });

  it("copy script is re-runnable: a second run into the same folder cleans out what is no longer named", () => {
    const src = mkdtempSync(join(tmpdir(), "mp-src-"));
    const out = join(src, "miniprogram_npm/tdesign-miniprogram");
    const run = () => execFileSync(process.execPath, ["scripts/copy-tdesign.mjs", "--src", src, "--out", out], { encoding: "utf8" });
    writeFileSync(join(src, "a.json"), JSON.stringify({ component: true, usingComponents: { "t-tabs": "tdesign-miniprogram/tabs/tabs", "t-button": "/miniprogram_npm/tdesign-miniprogram/button/button" } }));
    run();
    expect(existsSync(join(out, "tabs/tabs.js"))).toBe(true);
    expect(existsSync(join(out, "sticky/sticky.js")), "tabs' own usingComponents are followed").toBe(true);
    writeFileSync(join(src, "a.json"), JSON.stringify({ component: true, usingComponents: { "t-button": "/miniprogram_npm/tdesign-miniprogram/button/button" } }));
    expect(run()).toContain("1 components named (button/button)");
    expect(existsSync(join(out, "tabs"))).toBe(false);
    expect(existsSync(join(out, "button/button.js"))).toBe(true);
    expect(existsSync(join(out, "loading/loading.js")), "button's t-loading").toBe(true);
  });
});

describe("deep links: every page a message opens exists and reads its query", () => {
  let wx: WxShim;
  beforeAll(() => {
    wx = installWx({ loginCode: () => "no-server" });
    // nothing listens there: the pages' loads fail fast and harmlessly, only the query reading matters here
    (require(join(root, "services/request.js")) as { setBaseUrl(url: string): void }).setBaseUrl("http://127.0.0.1:9");
  });
  const sample: Vars = new Proxy({}, { get: (_t, key) => (typeof key === "string" ? "7" : undefined), has: () => true });
  const linked = Object.entries(TEMPLATES as Record<string, MessageTemplate>).filter(([, t]) => t.page);

  it.each(linked.map(([kind, t]) => [kind, t.page!(sample)]))("%s opens %s", async (_kind, path) => {
    const [page, query = ""] = path.split("?");
    expect(allPages(), `${page} is not in app.json (main package or a subpackage)`).toContain(page);
    const params = Object.fromEntries(new URLSearchParams(query));
    const read = new Set<string>();
    const recorder = new Proxy(params, { get: (target, key) => (typeof key === "string" && read.add(key), Reflect.get(target, key)) });
    const comp = renderPage(root, page, recorder as Record<string, string>);
    expect(typeof comp.instance.onLoad, `${page} has no onLoad`).toBe(Object.keys(params).length ? "function" : typeof comp.instance.onLoad);
    for (const key of Object.keys(params)) expect(read.has(key), `${page} does not read ?${key}`).toBe(true);
    expect(wx).toBeDefined();
  });
});
