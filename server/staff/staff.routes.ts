import { staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { storeOfAction } from "../members/members.service.js";
import { STAFF_ROLES } from "./staff.entity.js";
import { changePasswordBody, createStaffBody, resetPasswordBody, staffLoginBody, type ChangePasswordBody, type CreateStaffBody, type StaffLoginBody } from "./staff.schema.js";
import { changeOwnPassword, createStaff, listColleagues, listStaff, loginStaff, resetPassword, setStaffDisabled } from "./staff.service.js";

const colleaguesQuery = { type: "object", additionalProperties: false, properties: { storeId: { type: "integer", minimum: 1 } } } as const;

export const staffRoutes = () =>
  new ApiRoutes("/api/v1/staff", "员工")
    .add<StaffLoginBody>({ method: "post", path: "/login", summary: "员工登录", access: "public", body: staffLoginBody }, (ctx, { body }) =>
      loginStaff(ctx.deps.db, ctx.deps.config, body),
    )
    .add({ method: "get", path: "/me", summary: "当前员工", access: STAFF_ROLES }, async (ctx) => staffOf(ctx))
    .add({ method: "get", path: "/accounts", summary: "员工账号列表", access: ["admin"] }, (ctx) => ctx.deps.db.read(listStaff))
    .add<never, { storeId?: number }>({ method: "get", path: "/colleagues", summary: "本店（及跨店）在岗同事，供转交选择", access: STAFF_ROLES, query: colleaguesQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => listColleagues(m, staffOf(ctx), storeOfAction(staffOf(ctx), query.storeId))),
    )
    .add<CreateStaffBody>({ method: "post", path: "/accounts", summary: "创建员工账号", access: ["admin"], body: createStaffBody, status: 201 }, (ctx, { body }) =>
      createStaff(ctx.deps.db, ctx.deps.config.bcryptRounds, staffOf(ctx), body),
    )
    .add<never, never, IdParams>({ method: "post", path: "/accounts/:id/disable", summary: "停用员工账号", access: ["admin"], params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => setStaffDisabled(m, staffOf(ctx), params.id, true)),
    )
    .add<never, never, IdParams>({ method: "post", path: "/accounts/:id/enable", summary: "启用员工账号", access: ["admin"], params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => setStaffDisabled(m, staffOf(ctx), params.id, false)),
    )
    .add<ChangePasswordBody>({ method: "post", path: "/me/password", summary: "修改自己的密码（所有登录失效）", access: STAFF_ROLES, body: changePasswordBody }, (ctx, { body }) =>
      changeOwnPassword(ctx.deps.db, ctx.deps.config.bcryptRounds, staffOf(ctx), body),
    )
    .add<{ newPassword: string }, never, IdParams>(
      { method: "post", path: "/accounts/:id/password", summary: "重置员工密码并解锁", access: ["admin"], params: idParams, body: resetPasswordBody },
      (ctx, { params, body }) => resetPassword(ctx.deps.db, ctx.deps.config.bcryptRounds, staffOf(ctx), params.id, body.newPassword),
    );
