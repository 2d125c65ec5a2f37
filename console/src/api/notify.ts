// 回访与电话任务 and 消息: call tasks, the outbox monitor, weather alerts and the staff inbox (server/notify).
import { get, newIdempotencyKey, post } from "./request.js";
import type { BodyOf, QueryOf } from "./types.js";

export type CallTaskQuery = QueryOf<"/api/v1/staff/call-tasks", "get">;
export type CallOutcomeBody = BodyOf<"/api/v1/staff/call-tasks/{id}/outcome", "post">;
export type OutboxQuery = QueryOf<"/api/v1/staff/outbox", "get">;
export type OutboxStatus = NonNullable<OutboxQuery["status"]>;
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

export const fetchCallTasks = (query: CallTaskQuery) => get<CallTask[]>("/staff/call-tasks", query, true);
export const recordCallOutcome = (id: number, body: CallOutcomeBody) => post<CallTask>(`/staff/call-tasks/${id}/outcome`, body);
export const fetchOutbox = (query: OutboxQuery) => get<OutboxDay>("/staff/outbox", query, true);
export const cancelOutboxMessage = (id: number) => post<OutboxMessage>(`/staff/outbox/${id}/cancel`);
export const previewWeather = (body: WeatherBody) => post<WeatherPreview>("/staff/broadcasts/weather/preview", body, { quiet: true });
/** Sends the alert; the key is made once per preview so a retry or double click sends once. */
export const sendWeather = (body: WeatherBody, key: string) => post<WeatherPreview & { enqueued: number }>("/staff/broadcasts/weather", body, { headers: { "Idempotency-Key": key } });
export const weatherKey = newIdempotencyKey;
export const fetchInbox = (unread?: boolean) => get<{ unread: number; items: InboxItem[] }>("/staff/inbox", unread ? { unread } : {}, true);
export const markInboxRead = (id: number) => post<unknown>(`/staff/inbox/${id}/read`);
