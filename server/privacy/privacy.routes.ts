import { memberOf } from "../http/auth.js";
import { pagingFields, type Paging } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { exportMyData, myAccessLog } from "./my-data.service.js";

const pagingQuery = { type: "object", additionalProperties: false, properties: { ...pagingFields } } as const;

/** The member's own privacy rights: who read their archive, and a copy of their data. */
export const privacyRoutes = () =>
  new ApiRoutes("/api/v1/me", "隐私")
    .add<never, Paging>({ method: "get", path: "/access-log", summary: "我的档案查阅记录（何时、哪家门店、因何查阅）", access: "member", query: pagingQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => myAccessLog(m, memberOf(ctx).id, query.page, query.pageSize)),
    )
    .add({ method: "get", path: "/export", summary: "导出我的个人信息副本（JSON）", access: "member" }, (ctx) => ctx.deps.db.read((m) => exportMyData(m, memberOf(ctx).id, ctx.deps.clock())));
