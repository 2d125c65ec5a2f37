import { memberOf, staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { dueQuery, ratingBody, type DueQuery, type RatingBody } from "./service-records.schema.js";
import { listAssetRecords, listMaintenanceDue, rateRecord } from "./service-records.service.js";

export const serviceRecordRoutes = () =>
  new ApiRoutes("/api/v1", "服务记录")
    .add<never, never, IdParams>({ method: "get", path: "/me/assets/:id/records", summary: "车辆服务记录（一车一档）", access: "member", params: idParams }, (ctx, { params }) =>
      ctx.deps.db.read((m) => listAssetRecords(m, memberOf(ctx).id, params.id)),
    )
    .add<RatingBody, never, IdParams>({ method: "post", path: "/me/service-records/:id/rating", summary: "评价服务（1-5 分）", access: "member", params: idParams, body: ratingBody }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => rateRecord(m, ctx.deps.config, memberOf(ctx).id, params.id, body.score, body.comment)),
    )
    .add<never, DueQuery>({ method: "get", path: "/staff/maintenance-due", summary: "即将到期保养的车辆（回访用）", access: ["advisor", "agent", "manager", "admin"], query: dueQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => listMaintenanceDue(m, staffOf(ctx), query)),
    );
