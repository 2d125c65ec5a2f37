import { currentToken, request, saveToken } from "./request";

/** Logs in with wx.login once; later calls reuse the stored token. */
export async function ensureLogin(): Promise<void> {
  if (currentToken()) return;
  const code = await new Promise<string>((resolve, reject) => wx.login({ success: (res) => resolve(res.code), fail: reject }));
  const session = await request<{ token: string }>("/api/v1/auth/wechat", { method: "POST", data: { code } });
  saveToken(session.token);
}
