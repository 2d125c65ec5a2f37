// @vitest-environment jsdom
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeWechat } from "../helpers/fake-wechat.js";
import { buildMiniprogram, installWx } from "../helpers/miniprogram.js";

const require = createRequire(import.meta.url);
const simulate = require("miniprogram-simulate");

const until = async (check: () => boolean) => {
  for (let i = 0; i < 300 && !check(); i++) await simulate.sleep(10);
};

/** The API as its own process (npm start's entry point): the page talks to it over HTTP like on a phone. */
async function startApi(wechatUrl: string): Promise<{ child: ChildProcess; url: string }> {
  const dir = mkdtempSync(join(tmpdir(), "mp-api-"));
  const child = spawn(process.execPath, ["--import", "tsx", "server/main.ts"], {
    env: { PATH: process.env.PATH, NODE_ENV: "test", PORT: "0", LOG_LEVEL: "warn", DATABASE_URL: `sqlite:${join(dir, "app.sqlite")}`, WECHAT_APPID: "wx-test-app", WECHAT_SECRET: "wx-test-secret", WECHAT_API_BASE: wechatUrl, ADMIN_PASSWORD: "admin-pass-123", BCRYPT_ROUNDS: "4", JOBS_ENABLED: "false" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stderr!.on("data", (d) => (output += d));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on("data", (d) => {
      output += d;
      const match = /API 已启动：(http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]);
    });
    child.on("exit", (code) => reject(new Error(`API exited ${code}: ${output}`)));
  });
  return { child, url };
}

describe("the member card page, rendered by the mini-program component renderer against a real API", () => {
  let api: { child: ChildProcess; url: string };
  let wechat: FakeWechat;
  let root: string;
  let codes = 0;
  let wxState: ReturnType<typeof installWx>;

  beforeAll(async () => {
    wechat = await new FakeWechat().start();
    api = await startApi(wechat.url);
    root = buildMiniprogram();
    wxState = installWx({ loginCode: () => `mp-code-${++codes}` });
    require(join(root, "services/request.js")).setBaseUrl(api.url);
  }, 60_000);
  afterAll(async () => {
    api.child.kill("SIGTERM");
    await wechat.stop();
  });

  function renderCard() {
    const comp = simulate.render(simulate.load(join(root, "pages/member/card/index")));
    comp.attach(document.createElement("parent-wrapper"));
    return comp;
  }

  it("logs in with wx.login, then shows nickname, tier, points, progress and the member code", async () => {
    wechat.loginCodes.set("mp-code-1", { openid: "mp-openid-1" });
    const comp = renderCard();
    expect(comp.dom.textContent).toContain("加载中");
    await until(() => !comp.data.loading);
    const me = await (await fetch(`${api.url}/api/v1/me`, { headers: { authorization: `Bearer ${wxState.storage.get("token")}` } })).json();
    const text = comp.dom.textContent;
    expect(text).toContain("微信用户");
    expect(text).toContain("普卡");
    expect(text).toContain("再获得 1000 积分升级为银卡");
    expect(comp.querySelector(".member-code").dom.textContent).toBe(me.memberCode);
    expect(comp.querySelector(".balance").dom.textContent).toBe("0");

    comp.querySelector(".rotate").dispatchEvent("tap");
    await until(() => comp.data.card.memberCode !== me.memberCode);
    const rotated = await (await fetch(`${api.url}/api/v1/me`, { headers: { authorization: `Bearer ${wxState.storage.get("token")}` } })).json();
    expect(rotated.memberCode).not.toBe(me.memberCode);
    expect(comp.querySelector(".member-code").dom.textContent).toBe(rotated.memberCode);
  });

  it("shows the server's Chinese message and a toast when login fails", async () => {
    wxState.storage.clear();
    const comp = renderCard(); // mp-code-2 was never issued by the fake WeChat: 40029
    await until(() => !comp.data.loading);
    expect(comp.dom.textContent).toContain("微信登录凭证无效或已使用，请重新进入小程序");
    expect(wxState.toasts).toContain("微信登录凭证无效或已使用，请重新进入小程序");
  });
});
