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

/** The few WeChat server APIs the member service calls, at a configurable base URL (tests run a local fake). */
export class WechatClient {
  private accessToken: { value: string; expiresAt: number } | null = null;

  constructor(private readonly options: { appId: string | null; appSecret: string | null; apiBase: string }) {}

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
  private async getAccessToken(): Promise<string> {
    if (this.accessToken && this.accessToken.expiresAt > Date.now()) return this.accessToken.value;
    const { appId, appSecret } = this.credentials();
    const reply = await this.call<WechatReply & { access_token?: string; expires_in?: number }>("/cgi-bin/stable_token", {
      grant_type: "client_credential",
      appid: appId,
      secret: appSecret,
      force_refresh: false,
    });
    if (reply.errcode || !reply.access_token) throw toAppError(reply, "phone");
    this.accessToken = { value: reply.access_token, expiresAt: Date.now() + ((reply.expires_in ?? 7200) - 300) * 1000 };
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
        signal: AbortSignal.timeout(5000),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return (await response.json()) as T;
    } catch (err) {
      throw new AppError("WECHAT_UNAVAILABLE", "微信服务暂时不可用，请稍后再试", { cause: (err as Error).message });
    }
  }
}
