import { staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { STAFF_ROLES } from "./staff.entity.js";
import { createStaffBody, staffLoginBody, type CreateStaffBody, type StaffLoginBody } from "./staff.schema.js";
import { createStaff, listStaff, loginStaff, setStaffDisabled } from "./staff.service.js";


export const staffRoutes = () =>
  new ApiRoutes("/api/v1/staff", "员工")
    .add<StaffLoginBody>({ method: "post", path: "/login", summary: "员工登录", access: "public", body: staffLoginBody }, (ctx, { body }) =>
      loginStaff(ctx.deps.db, ctx.deps.config, body),
    )
    .add({ method: "get", path: "/me", summary: "当前员工", access: STAFF_ROLES }, async (ctx) => staffOf(ctx))
    .add({ method: "get", path: "/accounts", summary: "员工账号列表", access: ["admin"] }, (ctx) => ctx.deps.db.read(listStaff))
    .add<CreateStaffBody>({ method: "post", path: "/accounts", summary: "创建员工账号", access: ["admin"], body: createStaffBody, status: 201 }, (ctx, { body }) =>
      createStaff(ctx.deps.db, ctx.deps.config.bcryptRounds, staffOf(ctx), body),
    )
    .add<never, never, IdParams>({ method: "post", path: "/accounts/:id/disable", summary: "停用员工账号", access: ["admin"], params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => setStaffDisabled(m, staffOf(ctx), params.id, true)),
    )
    .add<never, never, IdParams>({ method: "post", path: "/accounts/:id/enable", summary: "启用员工账号", access: ["admin"], params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => setStaffDisabled(m, staffOf(ctx), params.id, false)),
    );
