// The one way the console talks to the server: bearer token, 401 → login (then back), the
// server's Chinese error message shown with MessagePlugin.
import { MessagePlugin } from "tdesign-vue-next";
import { router } from "../router/index.js";
import { clearSession, session } from "./session.js";

export class ApiError extends Error {
  constructor(public status: number, public code: string, message: string, public details: unknown) {
    super(message);
  }
}

export interface RequestOptions {
  query?: object;
  body?: unknown;
  headers?: Record<string, string>;
  /** don't toast the error: the caller shows it in place */
  quiet?: boolean;
}

function urlOf(path: string, query?: object): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ""}`;
}

async function send(method: string, path: string, options: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (session.token) headers.authorization = `Bearer ${session.token}`;
  if (options.body !== undefined) headers["content-type"] = "application/json";
  try {
    return await fetch(urlOf(path, options.query), { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  } catch {
    throw new ApiError(0, "NETWORK", "网络连接失败，请检查网络后重试", null);
  }
}

async function failure(res: Response): Promise<ApiError> {
  const data = await res.json().catch(() => null);
  const e = data?.error;
  return new ApiError(res.status, e?.code ?? "HTTP_" + res.status, e?.message ?? `请求失败（${res.status}）`, e?.details ?? null);
}

function onUnauthorized() {
  const current = router.currentRoute.value;
  clearSession();
  if (current.name !== "login") void router.push({ name: "login", query: { redirect: current.fullPath } });
}

/** Sends a call and returns its JSON; throws ApiError after showing the server's message. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const res = await send(method, path, options).catch((err: ApiError) => {
    if (!options.quiet) void MessagePlugin.error(err.message);
    throw err;
  });
  if (res.ok) return (res.status === 204 ? undefined : await res.json()) as T;
  const err = await failure(res);
  if (res.status === 401 && path !== "/staff/login") {
    onUnauthorized();
    void MessagePlugin.warning("登录已过期，请重新登录");
  } else if (!options.quiet) {
    void MessagePlugin.error(err.message);
  }
  throw err;
}

/** Fetches a binary (a complaint photo) with the token and returns an object URL. */
export async function requestBlobUrl(path: string): Promise<string> {
  const res = await send("GET", path, {});
  if (!res.ok) throw await failure(res);
  return URL.createObjectURL(await res.blob());
}

/** Uploads one file as multipart/form-data (field `file`) with the token; the caller shows the server's message (no toast). */
export async function uploadFile<T>(path: string, file: File): Promise<T> {
  const form = new FormData();
  form.append("file", file);
  let res: Response;
  try {
    res = await fetch(urlOf(path), { method: "POST", headers: session.token ? { authorization: `Bearer ${session.token}` } : {}, body: form });
  } catch {
    throw new ApiError(0, "NETWORK", "网络连接失败，请检查网络后重试", null);
  }
  if (res.ok) return (await res.json()) as T;
  const err = await failure(res);
  if (res.status === 401) onUnauthorized();
  throw err;
}

/** A fresh key for calls that require Idempotency-Key (one per user action). */
export function newIdempotencyKey(): string {
  // crypto.randomUUID exists only in secure contexts (not on a plain-http LAN address)
  const random = globalThis.crypto?.randomUUID?.() ?? `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 12)}`;
  return `console-${random}`;
}

export const get = <T>(path: string, query?: object, quiet = false) => request<T>("GET", path, { query, quiet });
export const post = <T>(path: string, body: unknown = {}, options: RequestOptions = {}) => request<T>("POST", path, { ...options, body });
