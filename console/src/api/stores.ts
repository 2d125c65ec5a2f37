// 门店: a store's weekly hours, closure days, bays and technicians (server/stores/store-setup.routes.ts),
// the store list and service types (server/stores/stores.routes.ts).
import { get, post, request } from "./request.js";
import type { BodyOf } from "./types.js";
import type { StoreSetup } from "./bookings.js";

export type { Store } from "./bookings.js";
export { fetchStores } from "./bookings.js";
export type HoursBody = BodyOf<"/api/v1/staff/stores/{id}/hours", "put">;
export type ClosureBody = BodyOf<"/api/v1/staff/stores/{id}/closures", "post">;
export type BayBody = BodyOf<"/api/v1/staff/stores/{id}/bays", "post">;
export type TechnicianBody = BodyOf<"/api/v1/staff/stores/{id}/technicians", "post">;

export interface FullSetup extends StoreSetup {
  closedOnHolidays: boolean;
}
/** A booking a change would affect, the member masked (server/bookings/store-changes.ts describeAffected). */
export interface AffectedBooking {
  id: number;
  bookingNo: string;
  start: string;
  end: string;
  channel: string;
  memberId: number;
  memberName: string | null;
  memberPhone: string | null;
}
export interface Affected {
  count: number;
  bookings: AffectedBooking[];
}
export interface ServiceType {
  id: number;
  code: string;
  name: string;
  durationMinutes: number;
}

const base = (storeId: number) => `/staff/stores/${storeId}`;
export const fetchSetup = (storeId: number) => get<FullSetup>(`${base(storeId)}/setup`, undefined, true);
export const fetchServiceTypes = () => get<ServiceType[]>("/service-types", undefined, true);
export const previewHours = (storeId: number, body: Omit<HoursBody, "cancelAffected" | "cancelReason">) => post<Affected>(`${base(storeId)}/hours/preview`, body, { quiet: true });
export const saveHours = (storeId: number, body: HoursBody) => request<FullSetup>("PUT", `${base(storeId)}/hours`, { body, quiet: true });
export const previewClosure = (storeId: number, date: string) => post<Affected>(`${base(storeId)}/closures/preview`, { date }, { quiet: true });
export const addClosure = (storeId: number, body: ClosureBody) => post<FullSetup & { cancelledBookings: { bookingNo: string }[] }>(`${base(storeId)}/closures`, body, { quiet: true });
export const removeClosure = (storeId: number, date: string) => request<FullSetup>("DELETE", `${base(storeId)}/closures/${date}`);
export const addBay = (storeId: number, body: BayBody) => post<FullSetup>(`${base(storeId)}/bays`, body, { quiet: true });
export const addTechnician = (storeId: number, body: TechnicianBody) => post<FullSetup>(`${base(storeId)}/technicians`, body, { quiet: true });
/** Puts a bay or a technician in or out of service. */
export const setActive = (storeId: number, kind: "bays" | "technicians", childId: number, active: boolean) => request<FullSetup>("PUT", `${base(storeId)}/${kind}/${childId}/active`, { body: { active } });
