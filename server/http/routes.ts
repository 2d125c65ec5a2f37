import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { StaffRole } from "../staff/staff.entity.js";
import { requireMember, requireStaff } from "./auth.js";
import { check, type JsonSchema } from "./validate.js";

/** Who may call a route: anyone, a logged-in member, or staff with one of the roles. */
export type Access = "public" | "member" | readonly StaffRole[];

export interface RouteSpec {
  method: "get" | "post" | "patch" | "put" | "delete";
  path: string;
  summary: string;
  access: Access;
  body?: JsonSchema;
  query?: JsonSchema;
  params?: JsonSchema;
  /** success status, 200 unless given */
  status?: number;
}

export interface RouteDoc extends RouteSpec {
  fullPath: string;
  tag: string;
}

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
}

/** A feature's routes: a koa router plus the specs that validate requests and feed the OpenAPI document. */
export class ApiRoutes {
  readonly router: Router;
  readonly docs: RouteDoc[] = [];

  constructor(
    readonly prefix: string,
    readonly tag: string,
  ) {
    // Full paths instead of a router prefix: @koa/router never compiles a route whose own path is "".
    this.router = new Router();
  }

  /** Registers a route: access check, validation of every part, then the handler, whose return value is the body. */
  add<B = never, Q = Record<string, never>, P = Record<string, never>>(
    spec: RouteSpec,
    handler: (ctx: Context, input: RouteInput<B, Q, P>) => Promise<unknown>,
  ): this {
    const guard: Middleware = spec.access === "public" ? (_ctx, next) => next() : spec.access === "member" ? requireMember : requireStaff(spec.access);
    const emptyObject = { type: "object", additionalProperties: false };
    const run: Middleware = async (ctx) => {
      const input = {
        params: check<P>(spec.params ?? emptyObject, { ...ctx.params }, "params"),
        query: check<Q>(spec.query ?? emptyObject, { ...ctx.query }, "query"),
        body: spec.body ? check<B>(spec.body, ctx.request.body ?? {}, "body") : (undefined as B),
      };
      const result = await handler(ctx, input);
      ctx.status = spec.status ?? 200;
      ctx.body = result ?? null;
      if (ctx.status === 204) ctx.body = null;
    };
    const fullPath = this.prefix + spec.path;
    this.router.register(fullPath, [spec.method.toUpperCase()], [guard, run]);
    this.docs.push({ ...spec, fullPath, tag: this.tag });
    return this;
  }
}
