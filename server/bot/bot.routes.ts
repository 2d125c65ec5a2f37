import type { Context } from "koa";
import { answerSurvey } from "../complaints/aftercare.service.js";
import { MEMBER_STATUS_WORDS } from "../complaints/categories.js";
import { fileMemberComplaint } from "../complaints/intake.service.js";
import { runAsMember } from "../db/causal-scope.js";
import { botOf } from "../http/auth.js";
import { ApiRoutes, type RouteInput } from "../http/routes.js";
import { setMemberPreferences } from "../notify/views.service.js";
import { unbindContact, useBindCode } from "./binding.service.js";
import {
  bindBody, chatBody, contactBody, dialogBody, fileComplaintBody, heartbeatBody, openHandoffBody, surveyBody,
  type BindBody, type ChatBody, type ContactBody, type DialogBody, type FileComplaintBody, type HeartbeatBody, type OpenHandoffBody, type SurveyBody,
} from "./bot.schema.js";
import { boundMember, contextOf, memberBookings, memberComplaints, memberCoupons, memberPoints } from "./commands.service.js";
import { saveDialog } from "./dialog.service.js";
import { agentMessage } from "./handoff-staff.service.js";
import { openHandoff, relayFromMember } from "./handoff.service.js";
import { recordHeartbeat } from "./status.service.js";

const account = (ctx: Context) => botOf(ctx).account;
/**
 * The bot speaks for a person who may just have written through another instance (a bind code, a
 * complaint): on a Galera node its reads wait for the node to catch up, as a member's own requests do.
 */
const onBehalf =
  <B, Q, P>(handler: (ctx: Context, input: RouteInput<B, Q, P>) => Promise<unknown>) =>
  (ctx: Context, input: RouteInput<B, Q, P>) =>
    runAsMember(() => handler(ctx, input));
/** The bound member of the contact, read inside the request's unit of work. */
const memberId = async (ctx: Context, contactId: string) => (await ctx.deps.db.read((m) => boundMember(m, account(ctx), contactId))).id;

/** What the chatbot process calls (bot token): heartbeat, who a contact is, binding, dialog state. */
export const botRoutes = () =>
  new ApiRoutes("/api/v1/bot", "机器人")
    .add<HeartbeatBody>({ method: "post", path: "/heartbeat", summary: "心跳与登录状态（每 30 秒及登录、登出时）", access: "bot", body: heartbeatBody }, onBehalf((ctx, { body }) =>
      ctx.deps.db.tx((m) => recordHeartbeat(m, account(ctx), body, ctx.deps.clock()))),
    )
    .add<ContactBody>({ method: "post", path: "/context", summary: "联系人的绑定身份、进行中的对话与人工会话", access: "bot", body: contactBody }, onBehalf((ctx, { body }) =>
      ctx.deps.db.read((m) => contextOf(m, account(ctx), body.contactId, ctx.deps.clock()))),
    )
    .add<BindBody>({ method: "post", path: "/bindings", summary: "用绑定码绑定会员或员工（10 分钟有效、一次性，错 5 次锁定 30 分钟）", access: "bot", body: bindBody }, onBehalf((ctx, { body }) =>
      useBindCode(ctx.deps.db, ctx.deps.config.jwtSecret, account(ctx), body.contactId, body.code, ctx.deps.clock())),
    )
    .add<ContactBody>({ method: "post", path: "/bindings/remove", summary: "解绑（联系人发“解绑”）", access: "bot", body: contactBody, status: 204 }, onBehalf((ctx, { body }) =>
      ctx.deps.db.tx((m) => unbindContact(m, account(ctx), body.contactId))),
    )
    .add<DialogBody>({ method: "post", path: "/dialog", summary: "保存多步对话的状态（30 分钟，null 清除）", access: "bot", body: dialogBody, status: 204 }, onBehalf((ctx, { body }) =>
      ctx.deps.db.tx((m) => saveDialog(m, account(ctx), body.contactId, body.state, ctx.deps.clock()))),
    );

/** The bound member's commands: 积分, 券, 预约, 投诉, 投诉进度, 评价, TD. */
export const botMemberRoutes = () =>
  new ApiRoutes("/api/v1/bot/member", "机器人")
    .add<ContactBody>({ method: "post", path: "/points", summary: "积分余额与即将过期", access: "bot", body: contactBody }, onBehalf(async (ctx, { body }) => {
      const id = await memberId(ctx, body.contactId);
      return ctx.deps.db.read((m) => memberPoints(m, id, ctx.deps.clock()));
    }))
    .add<ContactBody>({ method: "post", path: "/coupons", summary: "可用优惠券", access: "bot", body: contactBody }, onBehalf(async (ctx, { body }) => {
      const id = await memberId(ctx, body.contactId);
      return ctx.deps.db.read((m) => memberCoupons(m, id, ctx.deps.clock()));
    }))
    .add<ContactBody>({ method: "post", path: "/bookings", summary: "即将到来的预约", access: "bot", body: contactBody }, onBehalf(async (ctx, { body }) => {
      const id = await memberId(ctx, body.contactId);
      return ctx.deps.db.read((m) => memberBookings(m, id, ctx.deps.clock()));
    }))
    .add<ContactBody>({ method: "post", path: "/complaints", summary: "投诉进度", access: "bot", body: contactBody }, onBehalf(async (ctx, { body }) => {
      const id = await memberId(ctx, body.contactId);
      return ctx.deps.db.read((m) => memberComplaints(m, id, ctx.deps.config.complaints.surveyDays, ctx.deps.clock()));
    }))
    .add<FileComplaintBody>({ method: "post", path: "/complaints/file", summary: "提交投诉（渠道：微信客服）", access: "bot", body: fileComplaintBody, status: 201 }, onBehalf(async (ctx, { body }) => {
      const id = await memberId(ctx, body.contactId);
      const c = await fileMemberComplaint(ctx.deps.db, ctx.deps.config.complaints, id, { category: body.category, content: body.content, demand: body.demand }, ctx.deps.clock(), "bot", body.requestId);
      return { id: c.id, number: c.number, statusText: MEMBER_STATUS_WORDS[c.status] };
    }))
    .add<SurveyBody>({ method: "post", path: "/survey", summary: "投诉满意度评价", access: "bot", body: surveyBody }, onBehalf(async (ctx, { body }) => {
      const id = await memberId(ctx, body.contactId);
      const view = await ctx.deps.db.tx((m) => answerSurvey(m, ctx.deps.config.complaints, id, body.complaintId, { rating: body.rating, solved: body.solved, comment: body.comment }, ctx.deps.clock()));
      return { status: view.status };
    }))
    .add<ContactBody>({ method: "post", path: "/marketing-opt-out", summary: "退订营销消息（TD）", access: "bot", body: contactBody }, onBehalf(async (ctx, { body }) => {
      const id = await memberId(ctx, body.contactId);
      await ctx.deps.db.tx((m) => setMemberPreferences(m, id, { marketingOptOut: true }, ctx.deps.clock()));
      return { marketingOptOut: true };
    }));

/** Human handoff: 人工 opens it, the member's lines and the agent's answers are relayed through the outbox. */
export const botHandoffRoutes = () =>
  new ApiRoutes("/api/v1/bot", "机器人")
    .add<OpenHandoffBody>({ method: "post", path: "/handoffs/open", summary: "转人工（投诉的处理人、值班客服或门店队列）", access: "bot", body: openHandoffBody, status: 201 }, onBehalf((ctx, { body }) =>
      ctx.deps.db.tx((m) => openHandoff(m, ctx.deps.config.complaints, account(ctx), body.contactId, body, ctx.deps.clock()))),
    )
    .add<ChatBody>({ method: "post", path: "/handoffs/relay", summary: "人工会话中会员的消息（记录并转给客服）", access: "bot", body: chatBody }, onBehalf((ctx, { body }) =>
      ctx.deps.db.tx((m) => relayFromMember(m, ctx.deps.config.complaints, account(ctx), body.contactId, body.text, ctx.deps.clock()))),
    )
    .add<ChatBody>({ method: "post", path: "/agent/message", summary: "已绑定员工的消息：“#编号 内容”答复，“#编号 结束”结束", access: "bot", body: chatBody }, onBehalf((ctx, { body }) =>
      agentMessage(ctx.deps.db, ctx.deps.config.complaints, account(ctx), body.contactId, body.text, ctx.deps.clock())),
    );
