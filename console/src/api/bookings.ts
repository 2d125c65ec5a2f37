// 预约看板: the day's schedule and the visit's steps (server/bookings/staff-bookings.routes.ts),
// completion with the service record (server/service-records), the store's bays and technicians (server/stores).
import { get, post } from "./request.js";
import type { BodyOf, QueryOf } from "./types.js";

export type ScheduleQuery = QueryOf<"/api/v1/staff/bookings", "get">;
export type CompleteBody = BodyOf<"/api/v1/staff/bookings/{id}/complete", "post">;
export type CheckInBody = BodyOf<"/api/v1/staff/bookings/{id}/check-in", "post">;
export type BookingStatus = "booked" | "checked_in" | "in_service" | "ready_for_pickup" | "completed" | "cancelled" | "no_show";

export interface Lateness {
  response: boolean;
  arrival: boolean;
  onSite: boolean;
  fix: boolean;
}
export interface Booking {
  id: number;
  bookingNo: string;
  storeId: number;
  plate: string | null;
  services: { id: number; code: string | null; name: string | null }[];
  start: string;
  end: string;
  status: BookingStatus;
  statusName?: string;
  channelName: string;
  note: string | null;
  address: string | null;
  technicianId: number | null;
  checkInMileage: number | null;
  lateness: Lateness;
  memberNickname?: string | null;
  memberPhone?: string | null;
}
export interface Store {
  id: number;
  name: string;
  active: boolean;
}
export interface StoreSetup {
  storeId: number;
  week: { weekday: number; opensAt: string; closesAt: string }[];
  closures: { date: string; reason?: string }[];
  bays: { id: number; kind: string; name: string; active: boolean }[];
  technicians: { id: number; name: string; skills: string[]; active: boolean }[];
}
export interface Completion {
  record: { id: number; amountFen: number; partsFen: number; labourFen: number; discountFen: number; pointsEarned: number; mileage: number };
  pointsBalance: number;
  nextDue: { nextDueDate: string | null; nextDueMileage: number | null } | null;
}

export const fetchStores = () => get<Store[]>("/stores");
export const fetchStoreSetup = (storeId: number) => get<StoreSetup>(`/staff/stores/${storeId}/setup`, undefined, true);
export const fetchSchedule = (query: ScheduleQuery) => get<Booking[]>("/staff/bookings", query, true);
export const fetchLateBookings = () => get<Booking[]>("/staff/bookings/late", undefined, true);

/** One step of the visit (confirm, arrive, start, ready, no-show). */
export const moveBooking = (id: number, step: "confirm" | "arrive" | "start" | "ready" | "no-show") => post<Booking>(`/staff/bookings/${id}/${step}`);
export const checkInBooking = (id: number, body: CheckInBody) => post<Booking>(`/staff/bookings/${id}/check-in`, body, { quiet: true });
/** Assigns the chosen technician, or the least loaded able one when none is given. */
export const assignTechnician = (id: number, technicianId?: number) => post<Booking>(`/staff/bookings/${id}/assign`, technicianId ? { technicianId } : {});
export const completeBooking = (id: number, body: CompleteBody) => post<Completion>(`/staff/bookings/${id}/complete`, body, { quiet: true });
