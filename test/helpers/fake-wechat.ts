import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A real local HTTP server standing in for api.weixin.qq.com: jscode2session, stable_token and
 * getuserphonenumber, with WeChat's error codes for unknown codes (40029) and rate limiting (45011).
 */
export class FakeWechat {
  /** wx.login code → session; a code is single use like WeChat's. */
  readonly loginCodes = new Map<string, { openid: string; unionid?: string }>();
  readonly phoneCodes = new Map<string, string>();
  readonly rateLimitedCodes = new Set<string>();
  readonly calls: string[] = [];
  /** subscribe messages WeChat accepted */
  readonly subscribeSent: { touser: string; template_id: string; page: string; data: Record<string, { value: string }> }[] = [];
  /** openids WeChat answers 43101 for (no accept left), and openids it stalls (longer than the client's timeout) */
  readonly refuseOpenids = new Set<string>();
  readonly stallOpenids = new Set<string>();
  /** bumping it invalidates every token handed out so far (what a token expiry looks like to the caller) */
  tokenGeneration = 1;
  stableTokenCalls = 0;
  private server: Server | null = null;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      this.sockets.add(res);
      const url = new URL(req.url ?? "/", "http://localhost");
      this.calls.push(url.pathname);
      let raw = "";
      req.on("data", (chunk) => (raw += chunk));
      req.on("end", () => {
        const body = raw ? JSON.parse(raw) : {};
        if (url.pathname === "/cgi-bin/message/subscribe/send" && this.stallOpenids.has(String(body.touser))) return; // never answers
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(this.reply(url, body)));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  private readonly sockets = new Set<import("node:http").ServerResponse>();

  async stop(): Promise<void> {
    for (const res of this.sockets) res.destroy();
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  private reply(url: URL, body: Record<string, unknown>) {
    if (url.pathname === "/sns/jscode2session") {
      const code = url.searchParams.get("js_code") ?? "";
      if (url.searchParams.get("appid") !== "wx-test-app" || url.searchParams.get("secret") !== "wx-test-secret") return { errcode: 40013, errmsg: "invalid appid" };
      if (this.rateLimitedCodes.has(code)) return { errcode: 45011, errmsg: "api minute-quota reach limit" };
      const session = this.loginCodes.get(code);
      if (!session) return { errcode: 40029, errmsg: "invalid code" };
      this.loginCodes.delete(code);
      return { openid: session.openid, session_key: "c2Vzc2lvbg==", ...(session.unionid ? { unionid: session.unionid } : {}) };
    }
    if (url.pathname === "/cgi-bin/stable_token") {
      if (body.appid !== "wx-test-app") return { errcode: 40013, errmsg: "invalid appid" };
      this.stableTokenCalls++;
      return { access_token: this.tokenGeneration === 1 ? "fake-access-token" : `fake-access-token-${this.tokenGeneration}`, expires_in: 7200 };
    }
    if (url.pathname === "/cgi-bin/message/subscribe/send") {
      if (url.searchParams.get("access_token") !== (this.tokenGeneration === 1 ? "fake-access-token" : `fake-access-token-${this.tokenGeneration}`)) return { errcode: 42001, errmsg: "access_token expired" };
      if (this.refuseOpenids.has(String(body.touser))) return { errcode: 43101, errmsg: "user refuse to accept the msg" };
      this.subscribeSent.push(body as FakeWechat["subscribeSent"][number]);
      return { errcode: 0, errmsg: "ok" };
    }
    if (url.pathname === "/wxa/business/getuserphonenumber") {
      if (!String(url.searchParams.get("access_token")).startsWith("fake-access-token")) return { errcode: 40001, errmsg: "invalid credential" };
      const phone = this.phoneCodes.get(String(body.code));
      if (!phone) return { errcode: 40029, errmsg: "invalid code" };
      this.phoneCodes.delete(String(body.code));
      return { errcode: 0, errmsg: "ok", phone_info: { phoneNumber: phone, purePhoneNumber: phone, countryCode: "86" } };
    }
    return { errcode: -1, errmsg: "system error" };
  }
}
