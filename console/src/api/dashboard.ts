// What 工作台 reads: bookings (server/bookings), inbox and call tasks (server/notify), the bot's status (server/bot).
import { get } from "./request.js";
import type { QueryOf } from "./types.js";

export interface StaffBooking {
  id: number;
  status: string;
  start: string;
  [key: string]: unknown;
}
export interface BotAccount {
  account: string;
  loggedIn: boolean;
  online: boolean;
  userName: string | null;
  lastSeenAt: string | null;
}

export const fetchBookingsOfDay = (query: QueryOf<"/api/v1/staff/bookings", "get">) => get<StaffBooking[] | { items: StaffBooking[] }>("/staff/bookings", query, true);
export const fetchInbox = (unread: boolean) => get<{ unread: number; items: unknown[] }>("/staff/inbox", { unread }, true);
export const fetchCallTasks = (query: QueryOf<"/api/v1/staff/call-tasks", "get">) => get<unknown[] | { items: unknown[] }>("/staff/call-tasks", query, true);
export const fetchBotStatus = () => get<BotAccount[]>("/staff/bot/status", undefined, true);
