import { randomUUID } from "node:crypto";
import type { Context, Next } from "koa";

const INCOMING_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Gives every request an id (kept from X-Request-Id when sane), a child logger, and one access-log line. */
export async function requestContext(ctx: Context, next: Next): Promise<void> {
  const incoming = ctx.get("X-Request-Id");
  const requestId = INCOMING_ID.test(incoming) ? incoming : randomUUID();
  ctx.state.requestId = requestId;
  ctx.state.log = ctx.deps.logger.child({ requestId });
  ctx.set("X-Request-Id", requestId);
  const started = performance.now();
  try {
    await next();
  } finally {
    const ms = Math.round((performance.now() - started) * 10) / 10;
    ctx.state.log.info({ method: ctx.method, path: ctx.path, status: ctx.status, ms }, "request");
  }
}
