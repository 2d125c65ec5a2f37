import { staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { createTemplateBody, updateTemplateBody, type CreateTemplateBody, type UpdateTemplateBody } from "./coupons.schema.js";
import { createTemplate, deleteTemplate, listTemplates, setTemplateStatus, updateTemplate } from "./templates.service.js";

const MANAGERS = ["manager", "admin"] as const;

export const templateRoutes = () =>
  new ApiRoutes("/api/v1/staff/coupon-templates", "优惠券模板")
    .add({ method: "get", path: "", summary: "优惠券模板列表", access: MANAGERS }, (ctx) => ctx.deps.db.read((m) => listTemplates(m, staffOf(ctx))))
    .add<CreateTemplateBody>({ method: "post", path: "", summary: "创建优惠券模板", access: MANAGERS, body: createTemplateBody, status: 201 }, (ctx, { body }) =>
      ctx.deps.db.tx((m) => createTemplate(m, staffOf(ctx), body)),
    )
    .add<UpdateTemplateBody, never, IdParams>({ method: "patch", path: "/:id", summary: "修改优惠券模板（库存不少于已发出；已发出后券面和发放方式不能改）", access: MANAGERS, params: idParams, body: updateTemplateBody }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => updateTemplate(m, staffOf(ctx), params.id, body)),
    )
    .add<never, never, IdParams>({ method: "delete", path: "/:id", summary: "删除从未发放过的优惠券模板", access: MANAGERS, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => deleteTemplate(m, staffOf(ctx), params.id)),
    )
    .add<never, never, IdParams>({ method: "post", path: "/:id/pause", summary: "停用（暂停发放，已发出的券仍可使用）", access: MANAGERS, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => setTemplateStatus(m, staffOf(ctx), params.id, "paused")),
    )
    .add<never, never, IdParams>({ method: "post", path: "/:id/resume", summary: "启用（恢复发放）", access: MANAGERS, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => setTemplateStatus(m, staffOf(ctx), params.id, "active")),
    );
