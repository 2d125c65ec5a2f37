import { memberOf } from "../http/auth.js";
import { ApiRoutes } from "../http/routes.js";
import { bindingOfSubject, issueBindCode, unbindSubject } from "./binding.service.js";

/** The member binds their WeChat to the chatbot from the mini-program. */
export const botMemberBindingRoutes = () =>
  new ApiRoutes("/api/v1/me", "机器人（会员）")
    .add({ method: "post", path: "/bot-binding/code", summary: "获取绑定微信客服的 6 位绑定码（10 分钟有效）", access: "member" }, (ctx) =>
      issueBindCode(ctx.deps.db, ctx.deps.config.jwtSecret, { type: "member", id: memberOf(ctx).id }, ctx.deps.clock()),
    )
    .add({ method: "get", path: "/bot-binding", summary: "我的微信客服绑定", access: "member" }, (ctx) => ctx.deps.db.read((m) => bindingOfSubject(m, { type: "member", id: memberOf(ctx).id })))
    .add({ method: "delete", path: "/bot-binding", summary: "解除微信客服绑定", access: "member", status: 204 }, (ctx) => ctx.deps.db.tx((m) => unbindSubject(m, { type: "member", id: memberOf(ctx).id })));
