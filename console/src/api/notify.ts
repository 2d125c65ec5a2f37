// 回访与电话任务 and 消息: call tasks, the outbox monitor, weather alerts and the staff inbox (server/notify).
import { get, newIdempotencyKey, post } from "./request.js";
import type { BodyOf, Page, QueryOf } from "./types.js";

export type CallTaskQuery = QueryOf<"/api/v1/staff/call-tasks", "get">;
export type CallOutcomeBody = BodyOf<"/api/v1/staff/call-tasks/{id}/outcome", "post">;
export type OutboxQuery = QueryOf<"/api/v1/staff/outbox", "get">;
export type OutboxStatus = NonNullable<OutboxQuery["status"]>;
export type OutboxKind = NonNullable<OutboxQuery["kind"]>;

/** The kinds' names as server/notify/templates.ts labels them; the Record makes a new kind a type error here. */
export const OUTBOX_KIND_NAMES: Record<OutboxKind, string> = {
  booking_confirmed: "预约成功", booking_reminder: "预约提醒", ready_for_pickup: "完工待取车", booking_cancelled_by_store: "门店取消预约",
  maintenance_due: "保养到期", coupon_expiring: "优惠券即将过期", points_expiring: "积分即将过期", birthday: "生日祝福", holiday_greeting: "节日问候",
  weather_alert: "天气预警", staff_alert: "员工提醒", complaint_received: "投诉已受理", complaint_reply: "投诉答复", complaint_resolved: "投诉处理结果",
  complaint_assigned: "投诉分配", complaint_member_reply: "客户回复投诉", complaint_major: "重大投诉预警", complaint_sla_warning: "投诉时限预警",
  complaint_sla_breach: "投诉超时", complaint_approval: "投诉补偿审批", complaint_return_visit: "投诉回访", complaint_reopened: "投诉重新打开", chat_relay: "人工客服对话",
};
export type CallReason = NonNullable<CallTaskQuery["reason"]>;
/** Why a call was raised: a service notice that reached no other channel, or winning back a lapsed member. */
export const CALL_REASON_NAMES: Record<CallReason, string> = { ...OUTBOX_KIND_NAMES, win_back: "流失客户挽回" };
export type InboxQuery = QueryOf<"/api/v1/staff/inbox", "get">;
export type WeatherBody = BodyOf<"/api/v1/staff/broadcasts/weather", "post">;

export interface CallTask {
  id: number;
  memberName: string | null;
  memberPhone: string | null;
  memberCode: string | null;
  reasonName: string;
  summary: string;
  status: "open" | "done";
  outcome: string | null;
  note: string | null;
  createdAt: string;
  doneAt: string | null;
}
export interface OutboxMessage {
  id: number;
  kindName: string;
  messageClass: "service" | "marketing";
  text: string;
  channelName: string | null;
  status: OutboxStatus;
  statusName: string;
  createdAt: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
}
export interface OutboxDay {
  date: string;
  counts: Record<OutboxStatus, number>;
  total: number;
  items: OutboxMessage[];
}
export interface WeatherPreview {
  stores: { id: number; name: string }[];
  members: number;
  byChannel: { subscribe: number; bot: number; call: number };
  botDailyLimit: number;
  note: string | null;
}
export interface InboxItem {
  id: number;
  kindName?: string;
  text: string;
  createdAt: string;
  readAt: string | null;
}

export const fetchCallTasks = (query: CallTaskQuery) => get<Page<CallTask>>("/staff/call-tasks", query, true);
export const recordCallOutcome = (id: number, body: CallOutcomeBody) => post<CallTask>(`/staff/call-tasks/${id}/outcome`, body);
export const fetchOutbox = (query: OutboxQuery) => get<OutboxDay>("/staff/outbox", query, true);
export const cancelOutboxMessage = (id: number) => post<OutboxMessage>(`/staff/outbox/${id}/cancel`);
export const previewWeather = (body: WeatherBody) => post<WeatherPreview>("/staff/broadcasts/weather/preview", body, { quiet: true });
/** Sends the alert; the key is made once per preview so a retry or double click sends once. */
export const sendWeather = (body: WeatherBody, key: string) => post<WeatherPreview & { enqueued: number }>("/staff/broadcasts/weather", body, { headers: { "Idempotency-Key": key } });
export const weatherKey = newIdempotencyKey;
/** A page of the inbox and how many messages are unread in all. */
export const fetchInbox = (query: InboxQuery) => get<Page<InboxItem> & { unread: number }>("/staff/inbox", query, true);
export const markInboxRead = (id: number) => post<unknown>(`/staff/inbox/${id}/read`);
