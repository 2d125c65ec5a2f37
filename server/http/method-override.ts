import type { Context, Next } from "koa";

/** wx.request cannot send PATCH: a POST with `X-HTTP-Method-Override: PATCH` is routed as a PATCH. */
export async function methodOverride(ctx: Context, next: Next): Promise<void> {
  if (ctx.method === "POST" && ctx.get("X-HTTP-Method-Override").toUpperCase() === "PATCH") ctx.method = "PATCH";
  await next();
}
