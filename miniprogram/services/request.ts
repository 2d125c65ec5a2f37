import { API_BASE_URL } from "../config";

/**
 * The one place that calls wx.request: base URL, login and token, one silent re-login on 401,
 * the server's Chinese error message as a toast, and Idempotency-Key headers for money-like POSTs.
 */

const TOKEN_KEY = "token";
let baseUrl = API_BASE_URL;

/** For tests and the developer tools: point the services at another server. */
export function setBaseUrl(url: string): void {
  baseUrl = url.replace(/\/+$/, "");
}

export function apiUrl(path: string): string {
  return baseUrl + path;
}

export function saveToken(token: string): void {
  wx.setStorageSync(TOKEN_KEY, token);
}

export function currentToken(): string {
  return wx.getStorageSync(TOKEN_KEY) || "";
}

export function clearToken(): void {
  wx.removeStorageSync(TOKEN_KEY);
}

export interface ApiFailure {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

export type Method = "GET" | "POST" | "PATCH" | "PUT" | "DELETE";

export interface RequestOptions {
  method?: Method;
  data?: object;
  /** false: the caller shows the error itself */
  toast?: boolean;
  /** false: no token, no login (the login call itself) */
  auth?: boolean;
  /**
   * Names one member action (e.g. "claim:12"): every call for it carries the same Idempotency-Key until it
   * gets an answer from the server, so a double tap or a retry after a lost response does it once.
   */
  action?: string;
}

const NETWORK_FAILURE: ApiFailure = { status: 0, code: "NETWORK", message: "网络不给力，请检查网络后重试" };

let loggingIn: Promise<void> | null = null;

/** Exchanges a wx.login code for a token; concurrent callers share one login. */
export function login(): Promise<void> {
  loggingIn ??= (async () => {
    try {
      const code = await new Promise<string>((resolve, reject) => wx.login({ success: (res) => resolve(res.code), fail: () => reject(NETWORK_FAILURE) }));
      const session = await send<{ token: string }>("/api/v1/auth/wechat", { method: "POST", data: { code }, auth: false, toast: false });
      saveToken(session.token);
    } finally {
      loggingIn = null;
    }
  })();
  return loggingIn;
}

/** Logs in with wx.login once; later calls reuse the stored token. */
export async function ensureLogin(): Promise<void> {
  if (!currentToken()) await login();
}

/** After a 401 for `rejected`: one new login, shared by every call that was refused with the same token. */
async function loginAgain(rejected: string): Promise<void> {
  if (loggingIn) return loggingIn;
  const now = currentToken();
  if (now && now !== rejected) return; // another call has logged in again meanwhile
  clearToken();
  return login();
}

const actionKeys = new Map<string, string>();
const inFlight = new Map<string, Promise<unknown>>();

function newKey(): string {
  const random = Math.random().toString(36).slice(2, 12).padEnd(10, "0");
  return `mp-${Date.now().toString(36)}-${random}`;
}

/** The key of an action: the same one until the server has answered it. */
function keyOf(action: string): string {
  let key = actionKeys.get(action);
  if (!key) actionKeys.set(action, (key = newKey()));
  return key;
}

/** A call to the API. Logs in first when there is no token; a 401 logs in again once and repeats the call. */
export function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const action = options.action;
  if (action && inFlight.has(action)) return inFlight.get(action) as Promise<T>; // the second tap joins the first
  const run = (async () => {
    if (options.auth !== false) await ensureLogin();
    const sent = currentToken();
    try {
      return await send<T>(path, { ...options, toast: false });
    } catch (err) {
      const failure = err as ApiFailure;
      if (failure.status !== 401 || options.auth === false) throw failure;
      await loginAgain(sent);
      return await send<T>(path, { ...options, toast: false });
    }
  })();
  const settled = run.then(
    (value) => {
      if (action) actionKeys.delete(action);
      return value;
    },
    (err: ApiFailure) => {
      // a refusal is an answer (the next tap is a new action); a lost response or a 5xx may be retried with the same key
      if (action && err.status >= 400 && err.status < 500) actionKeys.delete(action);
      if (options.toast !== false) wx.showToast({ title: err.message, icon: "none" });
      throw err;
    },
  );
  if (action) {
    inFlight.set(action, settled);
    settled.then(() => inFlight.delete(action), () => inFlight.delete(action));
  }
  return settled;
}

function failureOf(statusCode: number, data: unknown): ApiFailure {
  const error = (data as { error?: { code: string; message: string; details?: unknown } } | null)?.error;
  return { status: statusCode, code: error?.code ?? "UNKNOWN", message: error?.message ?? "服务暂时不可用，请稍后再试", details: error?.details };
}

/** One HTTP exchange, no retry. */
function send<T>(path: string, options: RequestOptions): Promise<T> {
  const method = options.method ?? "GET";
  const header: Record<string, string> = {};
  const token = options.auth === false ? "" : currentToken();
  if (token) header.Authorization = `Bearer ${token}`;
  // wx.request has no PATCH: send POST and let the server's method override route it.
  if (method === "PATCH") header["X-HTTP-Method-Override"] = "PATCH";
  if (options.action) header["Idempotency-Key"] = keyOf(options.action);
  return new Promise<T>((resolve, reject) => {
    wx.request({
      url: baseUrl + path,
      method: method === "PATCH" ? "POST" : method,
      data: options.data,
      header,
      success(res) {
        if (res.statusCode >= 200 && res.statusCode < 300) return resolve(res.data as T);
        const failure = failureOf(res.statusCode, res.data);
        if (options.toast !== false) wx.showToast({ title: failure.message, icon: "none" });
        reject(failure);
      },
      fail() {
        if (options.toast !== false) wx.showToast({ title: NETWORK_FAILURE.message, icon: "none" });
        reject(NETWORK_FAILURE);
      },
    });
  });
}

/** Uploads one local file (wx.chooseMedia's tempFilePath) as multipart field `file`; same login and errors as request. */
export async function upload<T>(path: string, filePath: string, options: { toast?: boolean } = {}): Promise<T> {
  await ensureLogin();
  const once = () =>
    new Promise<T>((resolve, reject) => {
      wx.uploadFile({
        url: baseUrl + path,
        filePath,
        name: "file",
        header: { Authorization: `Bearer ${currentToken()}` },
        success(res) {
          let data: unknown = null;
          try {
            data = JSON.parse(res.data);
          } catch {
            data = null;
          }
          if (res.statusCode >= 200 && res.statusCode < 300) resolve(data as T);
          else reject(failureOf(res.statusCode, data));
        },
        fail: () => reject(NETWORK_FAILURE),
      });
    });
  const sent = currentToken();
  try {
    return await once().catch(async (err: ApiFailure) => {
      if (err.status !== 401) throw err;
      await loginAgain(sent);
      return once();
    });
  } catch (err) {
    if (options.toast !== false) wx.showToast({ title: (err as ApiFailure).message, icon: "none" });
    throw err;
  }
}

/** The message to show for a failed call. */
export function messageOf(err: unknown): string {
  return (err as ApiFailure)?.message ?? "加载失败，请稍后再试";
}
