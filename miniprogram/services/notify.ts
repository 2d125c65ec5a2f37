import type { Page } from "../utils/list";
import { request } from "./request";

export interface MemberMessage {
  id: number;
  kind: string;
  kindName: string;
  messageClass: "service" | "marketing";
  text: string;
  channelName: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** Messages sent to the member, newest first. */
export function fetchMessages(page: number, pageSize: number): Promise<Page<MemberMessage>> {
  return request<Page<MemberMessage>>("/api/v1/me/messages", { data: { page, pageSize } });
}

export function fetchPreferences(): Promise<{ marketingOptOut: boolean }> {
  return request("/api/v1/me/preferences");
}

/** Marketing on or off; service notices (bookings, maintenance, expiring coupons) keep coming either way. */
export function setMarketingOptOut(marketingOptOut: boolean): Promise<{ marketingOptOut: boolean }> {
  return request("/api/v1/me/preferences", { method: "PATCH", data: { marketingOptOut } });
}

/** A 6-digit code to send to the store's WeChat service account (the chatbot), valid for 10 minutes. */
export function requestBotBindingCode(): Promise<{ code: string; expiresAt: string }> {
  return request("/api/v1/me/bot-binding/code", { method: "POST" });
}

export function fetchBotBinding(): Promise<{ bound: boolean; since: string | null }> {
  return request("/api/v1/me/bot-binding");
}
