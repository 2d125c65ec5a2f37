import type { Page } from "../utils/list";
import { request } from "./request";

export interface Store {
  id: number;
  code: string;
  name: string;
  address: string;
  phone: string;
  city: string | null;
}

export interface ServiceType {
  id: number;
  code: string;
  name: string;
  /** minutes */
  durationMinutes: number;
}

export interface Slot {
  start: string;
  end: string;
  /** bays still free at this start */
  available: number;
}

/** A day's free starts for one visit; closedReason set (and no slots) when the store does not open that day. */
export interface DaySlots {
  storeId: number;
  date: string;
  durationMinutes: number;
  closedReason: string | null;
  slots: Slot[];
}

export type BookingStatus = "booked" | "checked_in" | "in_service" | "ready_for_pickup" | "completed" | "cancelled" | "no_show";

export interface Booking {
  id: number;
  bookingNo: string;
  storeId: number;
  assetId: number;
  plate: string | null;
  services: { id: number; code: string | null; name: string | null }[];
  start: string;
  end: string;
  status: BookingStatus;
  channelName: string;
  cancelledBy: "member" | "store" | null;
  cancelReason: string | null;
  note: string | null;
  address: string | null;
  createdAt: string;
}

export interface NewBooking {
  storeId: number;
  serviceIds: number[];
  assetId: number;
  start: string;
  note?: string;
  address?: string;
}

/** Stores members may book at (public). */
export function fetchStores(): Promise<Store[]> {
  return request<Store[]>("/api/v1/stores", { auth: false });
}

export function fetchServiceTypes(): Promise<ServiceType[]> {
  return request<ServiceType[]>("/api/v1/service-types", { auth: false });
}

/** Free starts on a Shanghai date for these services together (the server adds their durations). */
export function fetchDaySlots(storeId: number, date: string, serviceIds: number[]): Promise<DaySlots> {
  return request<DaySlots>("/api/v1/slots", { auth: false, toast: false, data: { storeId, date, serviceIds: serviceIds.join(",") } });
}

/** Books a visit; a double tap or a retry after a lost answer books it once (one Idempotency-Key per visit asked for). */
export function createBooking(body: NewBooking): Promise<Booking> {
  const action = `book:${body.storeId}:${body.assetId}:${body.start}:${body.serviceIds.join(",")}`;
  return request<Booking>("/api/v1/bookings", { method: "POST", data: body, action, toast: false });
}

export function fetchMyBookings(page = 1, pageSize = 20, scope: "upcoming" | "past" | "all" = "all"): Promise<Page<Booking>> {
  return request<Page<Booking>>("/api/v1/me/bookings", { data: { scope, page, pageSize } });
}

export function fetchBooking(id: number): Promise<Booking> {
  return request<Booking>(`/api/v1/me/bookings/${id}`, { toast: false });
}

/** Moves a booking; refused within the cutoff before its start (BOOKING_CHANGE_TOO_LATE, the server says why in Chinese). */
export function rescheduleBooking(id: number, start: string): Promise<Booking> {
  return request<Booking>(`/api/v1/me/bookings/${id}/reschedule`, { method: "POST", data: { start }, action: `reschedule:${id}:${start}`, toast: false });
}

export function cancelBooking(id: number): Promise<Booking> {
  return request<Booking>(`/api/v1/me/bookings/${id}/cancel`, { method: "POST", action: `cancel:${id}`, toast: false });
}

/** How a status reads to the member. */
export const STATUS_TEXT: Record<BookingStatus, string> = {
  booked: "已预约",
  checked_in: "已到店",
  in_service: "服务中",
  ready_for_pickup: "已完工待取车",
  completed: "已完成",
  cancelled: "已取消",
  no_show: "未到店",
};
