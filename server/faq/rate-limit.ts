import { timingSafeEqual } from "node:crypto";
import type { Context } from "koa";
import { AppError } from "../http/app-error.js";

/** questions per client address per minute; the matcher is public and every miss writes a row */
export const MATCH_LIMIT_PER_MINUTE = 60;
const WINDOW_MS = 60_000;
const MAX_TRACKED = 10_000;

/**
 * A per-instance fixed-window limit on anonymous matching, by client address (koa's ctx.ip, which
 * honours X-Forwarded-For behind the proxy). A chatbot presenting its BOT_TOKENS token is not limited:
 * all its members arrive from one address.
 */
export function matchLimiter() {
  const windows = new Map<string, { start: number; count: number }>();
  return (ctx: Context, now: number): void => {
    if (isBot(ctx)) return;
    let w = windows.get(ctx.ip);
    if (!w || now - w.start >= WINDOW_MS) {
      if (windows.size >= MAX_TRACKED) windows.clear();
      w = { start: now, count: 0 };
      windows.set(ctx.ip, w);
    }
    if (++w.count > MATCH_LIMIT_PER_MINUTE) throw new AppError("FAQ_RATE_LIMITED", "提问太频繁，请稍后再试", { retryAfterSeconds: Math.ceil((w.start + WINDOW_MS - now) / 1000) });
  };
}

function isBot(ctx: Context): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(ctx.get("Authorization"));
  if (!match) return false;
  const presented = Buffer.from(match[1]);
  return Object.values(ctx.deps.config.notify.botTokens).some((token) => token.length === presented.length && timingSafeEqual(Buffer.from(token), presented));
}
