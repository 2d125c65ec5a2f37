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
/** The unread count comes with any page of the inbox, so one row is enough. */
export const fetchUnreadCount = () => get<{ unread: number }>("/staff/inbox", { pageSize: 1 }, true).then((r) => r.unread);
/** How many call tasks match, from a one-row page. */
export const countCallTasks = (query: QueryOf<"/api/v1/staff/call-tasks", "get">) => get<{ total: number }>("/staff/call-tasks", { ...query, pageSize: 1 }, true).then((r) => r.total);
export const fetchBotStatus = () => get<BotAccount[]>("/staff/bot/status", undefined, true);
