import { staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { createTemplateBody, type CreateTemplateBody } from "./coupons.schema.js";
import { createTemplate, listTemplates, setTemplateStatus } from "./templates.service.js";

const MANAGERS = ["manager", "admin"] as const;

export const templateRoutes = () =>
  new ApiRoutes("/api/v1/staff/coupon-templates", "优惠券模板")
    .add({ method: "get", path: "", summary: "优惠券模板列表", access: MANAGERS }, (ctx) => ctx.deps.db.read((m) => listTemplates(m, staffOf(ctx))))
    .add<CreateTemplateBody>({ method: "post", path: "", summary: "创建优惠券模板", access: MANAGERS, body: createTemplateBody, status: 201 }, (ctx, { body }) =>
      ctx.deps.db.tx((m) => createTemplate(m, staffOf(ctx), body)),
    )
    .add<never, never, IdParams>({ method: "post", path: "/:id/pause", summary: "暂停发放", access: MANAGERS, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => setTemplateStatus(m, staffOf(ctx), params.id, "paused")),
    )
    .add<never, never, IdParams>({ method: "post", path: "/:id/resume", summary: "恢复发放", access: MANAGERS, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => setTemplateStatus(m, staffOf(ctx), params.id, "active")),
    );
