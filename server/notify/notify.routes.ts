import { botOf, memberOf, staffOf } from "../http/auth.js";
import { idParams, pagingFields, type IdParams, type Paging } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { idempotencyKeyOf, runIdempotent } from "../idempotency/idempotency.service.js";
import { ackBotMessage, claimBotMessages, type BotResult } from "./bot-outbox.js";
import { CALL_OUTCOMES, CHANNELS, MESSAGE_STATUSES, type CallOutcome } from "./notify.entity.js";
import { MESSAGE_KINDS } from "./templates.js";
import {
  callTasks, cancelMarketing, markInboxRead, memberMessages, memberPreferences, memberSubscriptions, outboxDay, recordCallOutcome, recordSubscriptions, setMemberPreferences, staffInbox, type CallTaskQuery, type InboxQuery, type OutboxQuery,
} from "./views.service.js";

const ALL_STAFF = ["advisor", "agent", "manager", "admin"] as const;
const MANAGERS = ["manager", "admin"] as const;

const subscriptionsBody = {
  type: "object",
  additionalProperties: false,
  required: ["results"],
  properties: {
    // what wx.requestSubscribeMessage answered: template id → accept / reject / ban / filter
    results: { type: "object", minProperties: 1, maxProperties: 20, propertyNames: { maxLength: 64 }, additionalProperties: { enum: ["accept", "reject", "ban", "filter"] } },
  },
} as const;
const preferencesBody = { type: "object", additionalProperties: false, required: ["marketingOptOut"], properties: { marketingOptOut: { type: "boolean" } } } as const;
const pagingQuery = { type: "object", additionalProperties: false, properties: { ...pagingFields } } as const;
const inboxQuery = { type: "object", additionalProperties: false, properties: { unread: { type: "boolean" }, ...pagingFields } } as const;
const callTaskQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    storeId: { type: "integer", minimum: 1 },
    status: { enum: ["open", "done"] },
    // a call task is raised for a message kind that fell back to a call, or to win back a lapsed member
    reason: { enum: [...MESSAGE_KINDS, "win_back"] },
    from: { type: "string", format: "date" },
    to: { type: "string", format: "date" },
    q: { type: "string", minLength: 1, maxLength: 32 },
    ...pagingFields,
  },
} as const;
const outcomeBody = { type: "object", additionalProperties: false, required: ["outcome"], properties: { outcome: { enum: CALL_OUTCOMES }, note: { type: "string", maxLength: 500 } } } as const;
const outboxQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    date: { type: "string", format: "date" },
    kind: { enum: MESSAGE_KINDS },
    status: { enum: MESSAGE_STATUSES },
    channel: { enum: CHANNELS },
    storeId: { type: "integer", minimum: 1 },
    ...pagingFields,
  },
} as const;
const claimBody = { type: "object", additionalProperties: false, properties: { max: { type: "integer", minimum: 1, maximum: 10, default: 1 } } } as const;
const ackBody = {
  type: "object",
  additionalProperties: false,
  required: ["leaseToken", "result"],
  properties: { leaseToken: { type: "string", minLength: 1, maxLength: 64 }, result: { enum: ["sent", "failed", "refused"] }, error: { type: "string", maxLength: 400 } },
} as const;

export const notifyMemberRoutes = () =>
  new ApiRoutes("/api/v1/me", "消息（会员）")
    .add<never, Paging>({ method: "get", path: "/messages", summary: "发给我的消息及渠道", access: "member", query: pagingQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => memberMessages(m, memberOf(ctx).id, query.page, query.pageSize)),
    )
    .add({ method: "get", path: "/subscriptions", summary: "我的订阅消息授权（每种剩余次数）", access: "member" }, (ctx) => ctx.deps.db.read((m) => memberSubscriptions(m, ctx.deps.config, memberOf(ctx).id)))
    .add<{ results: Record<string, string> }>({ method: "post", path: "/subscriptions", summary: "上报 wx.requestSubscribeMessage 的结果（每次接受可发一条）", access: "member", body: subscriptionsBody }, (ctx, { body }) => {
      const member = memberOf(ctx);
      const scope = { scope: "me.subscriptions", actor: `member:${member.id}`, key: idempotencyKeyOf(ctx.get("Idempotency-Key")), request: body };
      return runIdempotent(ctx.deps.db, scope, (m) => recordSubscriptions(m, ctx.deps.config, member.id, body.results, ctx.deps.clock()));
    })
    .add({ method: "get", path: "/preferences", summary: "我的消息设置", access: "member" }, (ctx) => ctx.deps.db.read((m) => memberPreferences(m, memberOf(ctx).id)))
    .add<{ marketingOptOut: boolean }>({ method: "patch", path: "/preferences", summary: "退订或恢复营销消息（服务通知不受影响）", access: "member", body: preferencesBody }, (ctx, { body }) =>
      ctx.deps.db.tx((m) => setMemberPreferences(m, memberOf(ctx).id, body, ctx.deps.clock())),
    );

export const notifyStaffRoutes = () =>
  new ApiRoutes("/api/v1/staff", "消息（员工）")
    .add<never, InboxQuery>({ method: "get", path: "/inbox", summary: "我的消息箱（分页，另给未读总数）", access: ALL_STAFF, query: inboxQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => staffInbox(m, staffOf(ctx).id, query)),
    )
    .add<never, never, IdParams>({ method: "post", path: "/inbox/:id/read", summary: "标记已读", access: ALL_STAFF, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => markInboxRead(m, staffOf(ctx).id, params.id, ctx.deps.clock())),
    )
    .add<never, CallTaskQuery>({ method: "get", path: "/call-tasks", summary: "电话回访任务（本门店；待回访最早的在前，已完成最近的在前）", access: ALL_STAFF, query: callTaskQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => callTasks(m, staffOf(ctx), query)),
    )
    .add<{ outcome: CallOutcome; note?: string }, never, IdParams>({ method: "post", path: "/call-tasks/:id/outcome", summary: "记录回访结果", access: ALL_STAFF, params: idParams, body: outcomeBody }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => recordCallOutcome(m, staffOf(ctx), params.id, body, ctx.deps.clock())),
    )
    .add<never, OutboxQuery>({ method: "get", path: "/outbox", summary: "消息发送情况（按日、类型、状态、渠道）", access: MANAGERS, query: outboxQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => outboxDay(m, staffOf(ctx), query, ctx.deps.clock())),
    )
    .add<never, never, IdParams>({ method: "post", path: "/outbox/:id/cancel", summary: "取消未发出的营销消息", access: MANAGERS, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => cancelMarketing(m, staffOf(ctx), params.id)),
    );

export const botOutboxRoutes = () =>
  new ApiRoutes("/api/v1/bot/outbox", "机器人")
    .add<{ max: number }>({ method: "post", path: "/claim", summary: "领取待发消息（受每日、每人、间隔预算限制）", access: "bot", body: claimBody }, async (ctx, { body }) => ({
      messages: await claimBotMessages(ctx.deps.db, ctx.deps.config.notify, botOf(ctx).account, body.max, ctx.deps.clock()),
    }))
    .add<{ leaseToken: string; result: BotResult; error?: string }, never, IdParams>({ method: "post", path: "/:id/ack", summary: "回报发送结果", access: "bot", params: idParams, body: ackBody }, (ctx, { params, body }) =>
      ackBotMessage(ctx.deps.db, ctx.deps.config.notify, botOf(ctx).account, params.id, body, ctx.deps.clock()),
    );
