import { ApiRoutes } from "../http/routes.js";
import { devLoginBody, wechatLoginBody, type DevLoginBody, type WechatLoginBody } from "../members/members.schema.js";
import { loginForDev, loginWithWechat } from "./auth.service.js";

export const authRoutes = () =>
  new ApiRoutes("/api/v1/auth", "登录")
    .add<WechatLoginBody>({ method: "post", path: "/wechat", summary: "会员微信登录", access: "public", body: wechatLoginBody }, (ctx, { body }) =>
      loginWithWechat(ctx.deps, body),
    )
    .add<DevLoginBody>({ method: "post", path: "/dev", summary: "开发环境登录（生产环境关闭）", access: "public", body: devLoginBody }, (ctx, { body }) =>
      loginForDev(ctx.deps, body),
    );
