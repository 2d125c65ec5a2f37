import { AppError } from "../http/app-error.js";

export interface WechatSession {
  openid: string;
  unionid: string | null;
}

interface WechatReply {
  errcode?: number;
  errmsg?: string;
}

/** jscode2session and getuserphonenumber errors that the member can act on; the rest are WeChat outages. */
function toAppError(reply: WechatReply, what: "login" | "phone"): AppError {
  switch (reply.errcode) {
    case 40029:
    case 40163:
      return what === "login" ? new AppError("WECHAT_CODE_INVALID", "微信登录凭证无效或已使用，请重新进入小程序") : new AppError("WECHAT_CODE_INVALID", "手机号授权凭证无效或已过期，请重新授权");
    case 45011:
      return new AppError("WECHAT_RATE_LIMITED", "操作过于频繁，请稍后再试");
    case 40226:
      return new AppError("WECHAT_USER_RISKY", "微信账号存在风险，暂时无法登录");
    default:
      return new AppError("WECHAT_UNAVAILABLE", "微信服务暂时不可用，请稍后再试", { errcode: reply.errcode ?? null });
  }
}

/** Where the access token is kept between calls: the database in the server (shared by every instance). */
export interface TokenStore {
  get(): Promise<{ value: string; expiresAt: number } | null>;
  put(token: { value: string; expiresAt: number }): Promise<void>;
}

/** What became of one subscribe message: sent, refused by the platform (do not retry), or an error worth retrying or not. */
export type SubscribeResult = { outcome: "sent" } | { outcome: "refused"; errcode: number } | { outcome: "error"; transient: boolean; detail: string };

// 43101: the member has no accept left (or refused); 43004: the member does not follow / never subscribed
const REFUSALS = new Set([43101, 43004]);
// -1 system busy, 45009/45011 rate limits: worth another try later
const TRANSIENT = new Set([-1, 45009, 45011]);
const TOKEN_INVALID = new Set([40001, 42001, 40014]);

/** The few WeChat server APIs the member service calls, at a configurable base URL (tests run a local fake). */
export class WechatClient {
  private accessToken: { value: string; expiresAt: number } | null = null;

  constructor(private readonly options: { appId: string | null; appSecret: string | null; apiBase: string; timeoutMs?: number; tokenStore?: TokenStore }) {}

  /** Sends one subscribe message (服务通知); a stale token is refreshed once. Never throws for WeChat's answers. */
  async sendSubscribe(message: { touser: string; template_id: string; page: string; data: Record<string, { value: string }>; miniprogram_state: string }): Promise<SubscribeResult> {
    for (let attempt = 0; attempt < 2; attempt++) {
      let reply: WechatReply;
      try {
        const token = await this.getAccessToken(attempt > 0);
        reply = await this.call<WechatReply>(`/cgi-bin/message/subscribe/send?access_token=${encodeURIComponent(token)}`, message);
      } catch (err) {
        return { outcome: "error", transient: true, detail: err instanceof AppError ? String((err.details as { cause?: string })?.cause ?? err.message) : (err as Error).message };
      }
      const code = reply.errcode ?? 0;
      if (code === 0) return { outcome: "sent" };
      if (REFUSALS.has(code)) return { outcome: "refused", errcode: code };
      if (TOKEN_INVALID.has(code) && attempt === 0) continue;
      return { outcome: "error", transient: TRANSIENT.has(code), detail: `errcode ${code}: ${reply.errmsg ?? ""}` };
    }
    return { outcome: "error", transient: true, detail: "access token refused twice" };
  }

  get configured(): boolean {
    return this.options.appId !== null && this.options.appSecret !== null;
  }

  /** Exchanges a wx.login code for the member's openid (and unionid when the app is bound to an Open Platform account). */
  async exchangeLoginCode(code: string): Promise<WechatSession> {
    const { appId, appSecret } = this.credentials();
    const query = new URLSearchParams({ appid: appId, secret: appSecret, js_code: code, grant_type: "authorization_code" });
    const reply = await this.call<WechatReply & { openid?: string; unionid?: string }>(`/sns/jscode2session?${query}`);
    if (reply.errcode || !reply.openid) throw toAppError(reply, "login");
    return { openid: reply.openid, unionid: reply.unionid ?? null };
  }

  /** Turns a getPhoneNumber code into the verified phone number (mainland numbers without country code). */
  async exchangePhoneCode(code: string): Promise<string> {
    const token = await this.getAccessToken();
    const reply = await this.call<WechatReply & { phone_info?: { purePhoneNumber: string } }>(
      `/wxa/business/getuserphonenumber?access_token=${encodeURIComponent(token)}`,
      { code },
    );
    if (reply.errcode || !reply.phone_info) throw toAppError(reply, "phone");
    return reply.phone_info.purePhoneNumber;
  }

  // stable_token returns the same token to every instance, so several API instances do not revoke each other's.
  // The token store (the database) lets every instance use one token; it is fetched again only when it
  // runs out or WeChat calls it invalid (forceRefresh), never per message.
  private async getAccessToken(forceRefresh = false): Promise<string> {
    const fresh = (t: { expiresAt: number } | null) => t !== null && t.expiresAt > Date.now();
    if (!forceRefresh && fresh(this.accessToken)) return this.accessToken!.value;
    if (!forceRefresh && this.options.tokenStore) {
      const stored = await this.options.tokenStore.get();
      if (stored && fresh(stored)) return (this.accessToken = stored).value;
    }
    const { appId, appSecret } = this.credentials();
    const reply = await this.call<WechatReply & { access_token?: string; expires_in?: number }>("/cgi-bin/stable_token", {
      grant_type: "client_credential",
      appid: appId,
      secret: appSecret,
      force_refresh: forceRefresh,
    });
    if (reply.errcode || !reply.access_token) throw toAppError(reply, "phone");
    this.accessToken = { value: reply.access_token, expiresAt: Date.now() + ((reply.expires_in ?? 7200) - 300) * 1000 };
    await this.options.tokenStore?.put(this.accessToken);
    return reply.access_token;
  }

  private credentials() {
    const { appId, appSecret } = this.options;
    if (appId === null || appSecret === null) throw new AppError("WECHAT_NOT_CONFIGURED", "未配置微信小程序参数，无法使用微信登录");
    return { appId, appSecret };
  }

  private async call<T>(path: string, body?: unknown): Promise<T> {
    try {
      const response = await fetch(this.options.apiBase + path, {
        method: body === undefined ? "GET" : "POST",
        headers: body === undefined ? undefined : { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 5000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return (await response.json()) as T;
    } catch (err) {
      throw new AppError("WECHAT_UNAVAILABLE", "微信服务暂时不可用，请稍后再试", { cause: (err as Error).message });
    }
  }
}
