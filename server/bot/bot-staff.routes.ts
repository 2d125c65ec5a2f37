import { staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { bindingOfSubject, issueBindCode, unbindSubject } from "./binding.service.js";
import type { HandoffStatus } from "./bot.entity.js";
import { handoffListQuery, staffReplyBody } from "./bot.schema.js";
import { closeFromConsole, handoffDetail, listHandoffs, replyFromConsole } from "./handoff-staff.service.js";
import { listBotStatus } from "./status.service.js";

const ALL_STAFF = ["advisor", "agent", "manager", "admin"] as const;
const AGENTS = ["agent", "manager", "admin"] as const;

/** Staff side of the chatbot: its status, binding one's own WeChat, and answering handoffs from the console. */
export const botStaffRoutes = () =>
  new ApiRoutes("/api/v1/staff", "机器人（员工）")
    .add({ method: "get", path: "/bot/status", summary: "机器人账号的登录与在线状态", access: AGENTS }, (ctx) => ctx.deps.db.read((m) => listBotStatus(m, ctx.deps.config.notify, ctx.deps.clock())))
    .add({ method: "post", path: "/me/bot-binding/code", summary: "获取绑定微信的 6 位绑定码（10 分钟有效）", access: ALL_STAFF }, (ctx) =>
      issueBindCode(ctx.deps.db, ctx.deps.config.jwtSecret, { type: "staff", id: staffOf(ctx).id }, ctx.deps.clock()),
    )
    .add({ method: "get", path: "/me/bot-binding", summary: "我的微信绑定", access: ALL_STAFF }, (ctx) => ctx.deps.db.read((m) => bindingOfSubject(m, { type: "staff", id: staffOf(ctx).id })))
    .add({ method: "delete", path: "/me/bot-binding", summary: "解除微信绑定", access: ALL_STAFF, status: 204 }, (ctx) => ctx.deps.db.tx((m) => unbindSubject(m, { type: "staff", id: staffOf(ctx).id })))
    .add<never, { status: HandoffStatus }>({ method: "get", path: "/handoffs", summary: "人工会话（本门店，不含投诉本人的）", access: AGENTS, query: handoffListQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => listHandoffs(m, staffOf(ctx), query.status)),
    )
    .add<never, never, IdParams>({ method: "get", path: "/handoffs/:id", summary: "人工会话与对话记录", access: AGENTS, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.read((m) => handoffDetail(m, staffOf(ctx), params.id)),
    )
    .add<{ body: string }, never, IdParams>({ method: "post", path: "/handoffs/:id/replies", summary: "在后台答复会员（经发件箱由机器人转达）", access: AGENTS, params: idParams, body: staffReplyBody, status: 201 }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => replyFromConsole(m, ctx.deps.config.complaints, staffOf(ctx), params.id, body.body, ctx.deps.clock())),
    )
    .add<never, never, IdParams>({ method: "post", path: "/handoffs/:id/close", summary: "结束人工会话", access: AGENTS, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => closeFromConsole(m, staffOf(ctx), params.id, ctx.deps.clock())),
    );
