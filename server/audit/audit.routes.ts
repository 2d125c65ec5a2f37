import { pagingFields, type Paging } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { listAuditLogs } from "./audit.service.js";

const auditQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...pagingFields,
    action: { type: "string", minLength: 1, maxLength: 48 },
    targetType: { type: "string", minLength: 1, maxLength: 32 },
    actorId: { type: "integer", minimum: 1 },
    from: { type: "string", format: "date-time" },
    to: { type: "string", format: "date-time" },
  },
} as const;
export interface AuditQuery extends Paging {
  action?: string;
  targetType?: string;
  actorId?: number;
  from?: string;
  to?: string;
}

/** The audit log for admins: the entries carry no store, so it is not cut by store for managers. */
export const auditRoutes = () =>
  new ApiRoutes("/api/v1/staff", "审计").add<never, AuditQuery>({ method: "get", path: "/audit-logs", summary: "操作日志（谁在何时改了什么）", access: ["admin"], query: auditQuery }, (ctx, { query }) =>
    ctx.deps.db.read((m) => listAuditLogs(m, query)),
  );
