import Router from "@koa/router";
import type { Middleware, ParameterizedContext } from "koa";
import { AppError } from "./app-error.js";
import type { ApiRoutes } from "./routes.js";

/**
 * One router for every feature: a request is matched once. A path that exists under other methods
 * answers 405 with an Allow header (OPTIONS: 204 with Allow); an unknown path falls through to the
 * error handler's 404.
 */
export function dispatch(features: ApiRoutes[]): Middleware {
  const router = new Router();
  for (const feature of features) feature.mount(router);
  const routes = router.routes();
  return (ctx, next) =>
    routes(ctx as Parameters<typeof routes>[0] & ParameterizedContext, async () => {
      const layers = router.match(ctx.path, ctx.method).path;
      if (layers.length === 0) return next();
      const allow = [...new Set(layers.flatMap((layer) => layer.methods))].sort().join(", ");
      ctx.set("Allow", allow);
      if (ctx.method === "OPTIONS") {
        ctx.status = 204;
        return;
      }
      throw new AppError("METHOD_NOT_ALLOWED", `不支持该请求方法，可用：${allow}`, { allow });
    });
}
