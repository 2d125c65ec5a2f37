import { memberOf } from "../http/auth.js";
import { ApiRoutes } from "../http/routes.js";
import { phoneCodeBody, updateMeBody, type PhoneCodeBody, type UpdateMeBody } from "./members.schema.js";
import { bindVerifiedPhone, getMemberProfile, rotateMemberCode, updateMe } from "./members.service.js";

export const memberRoutes = () =>
  new ApiRoutes("/api/v1/me", "会员")
    .add({ method: "get", path: "", summary: "我的会员卡：资料、积分、等级、即将过期积分", access: "member" }, (ctx) =>
      ctx.deps.db.read((m) => getMemberProfile(m, memberOf(ctx).id)),
    )
    .add<UpdateMeBody>({ method: "patch", path: "", summary: "修改昵称、生日、性别、所属门店", access: "member", body: updateMeBody }, (ctx, { body }) =>
      ctx.deps.db.tx((m) => updateMe(m, memberOf(ctx).id, body)),
    )
    .add<PhoneCodeBody>({ method: "post", path: "/phone", summary: "用微信手机号授权绑定手机号", access: "member", body: phoneCodeBody }, (ctx, { body }) =>
      bindVerifiedPhone(ctx.deps, memberOf(ctx).id, body.code),
    )
    .add({ method: "post", path: "/member-code/rotate", summary: "更换会员码", access: "member" }, (ctx) =>
      rotateMemberCode(ctx.deps.db, memberOf(ctx).id),
    );
