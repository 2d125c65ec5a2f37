import Router from "@koa/router";
import type { Context, Middleware } from "koa";
import type { StaffRole } from "../staff/staff.entity.js";
import { requireBot, requireMember, requireStaff } from "./auth.js";
import { check, compile, harden, type JsonSchema } from "./validate.js";

/** Who may call a route: anyone, a logged-in member, a chatbot process with its token, or staff with one of the roles. */
export type Access = "public" | "member" | "bot" | readonly StaffRole[];

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

const EMPTY_OBJECT: JsonSchema = { type: "object", additionalProperties: false };

interface Registration {
  fullPath: string;
  method: string;
  stack: Middleware[];
}

/**
 * A feature's routes: each declaration gives the access guard, the validation of every part of the
 * request and an OpenAPI entry. createApp() mounts every feature on one router, so a request is
 * matched once, not once per feature.
 */
export class ApiRoutes {
  readonly docs: RouteDoc[] = [];
  private readonly registrations: Registration[] = [];

  constructor(
    readonly prefix: string,
    readonly tag: string,
  ) {}

  /** Registers a route: access check, validation of every part, then the handler, whose return value is the body. */
  add<B = never, Q = Record<string, never>, P = Record<string, never>>(
    spec: RouteSpec,
    handler: (ctx: Context, input: RouteInput<B, Q, P>) => Promise<unknown>,
  ): this {
    const guard: Middleware = spec.access === "public" ? (_ctx, next) => next() : spec.access === "member" ? requireMember : spec.access === "bot" ? requireBot : requireStaff(spec.access);
    // Hardened copies bound every integer and free text; they validate and they are what the OpenAPI document shows.
    const params = harden(spec.params ?? EMPTY_OBJECT);
    const query = harden(spec.query ?? EMPTY_OBJECT);
    const body = spec.body && harden(spec.body);
    for (const schema of [params, query, body]) if (schema) compile(schema);
    const run: Middleware = async (ctx) => {
      const input = {
        params: check<P>(params, { ...ctx.params }, "params"),
        query: check<Q>(query, { ...ctx.query }, "query"),
        body: body ? check<B>(body, ctx.request.body ?? {}, "body") : (undefined as B),
      };
      const result = await handler(ctx, input);
      ctx.status = spec.status ?? 200;
      ctx.body = result ?? null;
      if (ctx.status === 204) ctx.body = null;
    };
    const fullPath = this.prefix + spec.path;
    this.registrations.push({ fullPath, method: spec.method.toUpperCase(), stack: [guard, run] });
    this.docs.push({ ...spec, params: spec.params && params, query: spec.query && query, body, fullPath, tag: this.tag });
    return this;
  }

  /** Puts every route of this feature on the app's one router. */
  mount(router: Router): void {
    for (const r of this.registrations) router.register(r.fullPath, [r.method], r.stack);
  }
}
