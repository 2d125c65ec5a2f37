import { API_BASE_URL } from "../config";

/** The one place that calls wx.request: base URL, token, and errors turned into a Chinese toast. */

const TOKEN_KEY = "token";
let baseUrl = API_BASE_URL;

/** For tests and the developer tools: point the services at another server. */
export function setBaseUrl(url: string): void {
  baseUrl = url.replace(/\/+$/, "");
}

export function saveToken(token: string): void {
  wx.setStorageSync(TOKEN_KEY, token);
}

export function currentToken(): string {
  return wx.getStorageSync(TOKEN_KEY) || "";
}

export interface ApiFailure {
  status: number;
  code: string;
  message: string;
}

export function request<T>(path: string, options: { method?: "GET" | "POST" | "PATCH" | "PUT" | "DELETE"; data?: object; toast?: boolean } = {}): Promise<T> {
  const token = currentToken();
  const method = options.method ?? "GET";
  const header: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  // wx.request has no PATCH: send POST and let the server's method override route it.
  if (method === "PATCH") header["X-HTTP-Method-Override"] = "PATCH";
  return new Promise<T>((resolve, reject) => {
    wx.request({
      url: baseUrl + path,
      method: method === "PATCH" ? "POST" : method,
      data: options.data,
      header,
      success(res) {
        if (res.statusCode >= 200 && res.statusCode < 300) return resolve(res.data as T);
        const error = (res.data as { error?: { code: string; message: string } }).error;
        const failure: ApiFailure = { status: res.statusCode, code: error?.code ?? "UNKNOWN", message: error?.message ?? "服务暂时不可用，请稍后再试" };
        if (res.statusCode === 401) wx.removeStorageSync(TOKEN_KEY);
        if (options.toast !== false) wx.showToast({ title: failure.message, icon: "none" });
        reject(failure);
      },
      fail() {
        const failure: ApiFailure = { status: 0, code: "NETWORK", message: "网络不给力，请检查网络后重试" };
        if (options.toast !== false) wx.showToast({ title: failure.message, icon: "none" });
        reject(failure);
      },
    });
  });
}
