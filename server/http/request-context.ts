import { randomUUID } from "node:crypto";
import type { Context, Next } from "koa";
import type { Logger } from "pino";

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Gives every request an id (kept from X-Request-Id when sane), a child logger, and one access-log line.
 * The child logger is made on first use: most requests log nothing, and at a level that writes no
 * access line (the benchmark runs silent) neither it nor the line costs anything.
 */
export async function requestContext(ctx: Context, next: Next): Promise<void> {
  const incoming = ctx.get("X-Request-Id");
  const requestId = INCOMING_ID.test(incoming) ? incoming : randomUUID();
  ctx.state.requestId = requestId;
  const root = ctx.deps.logger;
  let child: Logger | undefined;
  Object.defineProperty(ctx.state, "log", { get: () => (child ??= root.child({ requestId })), enumerable: true, configurable: true });
  ctx.set("X-Request-Id", requestId);
  if (!root.isLevelEnabled("info")) return next();
  const started = performance.now();
  try {
    await next();
  } finally {
    const ms = Math.round((performance.now() - started) * 10) / 10;
    ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms }, "request");
  }
}
