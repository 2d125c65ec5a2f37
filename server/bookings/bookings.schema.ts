import { pagingFields, type Paging } from "../http/common.schema.js";
import { PHONE_PATTERN } from "../members/members.schema.js";

const serviceIds = { type: "array", minItems: 1, maxItems: 6, uniqueItems: true, items: { type: "integer", minimum: 1 } } as const;

export const slotsQuery = {
  type: "object",
  additionalProperties: false,
  required: ["storeId", "date", "serviceIds"],
  properties: {
    storeId: { type: "integer", minimum: 1 },
    date: { type: "string", format: "date" },
    /** comma-separated service type ids, e.g. 1,4 */
    serviceIds: { type: "string", pattern: "^[0-9]{1,6}(,[0-9]{1,6}){0,5}$" },
  },
} as const;
export interface SlotsQuery {
  storeId: number;
  date: string;
  serviceIds: string;
}

export const createBookingBody = {
  type: "object",
  additionalProperties: false,
  required: ["storeId", "serviceIds", "assetId", "start"],
  properties: {
    storeId: { type: "integer", minimum: 1 },
    serviceIds,
    assetId: { type: "integer", minimum: 1 },
    /** one of the starts GET /slots offered */
    start: { type: "string", format: "date-time" },
    note: { type: "string", maxLength: 200 },
    /** required for pickup-and-delivery */
    address: { type: "string", minLength: 5, maxLength: 200 },
  },
} as const;
export interface CreateBookingBody {
  storeId: number;
  serviceIds: number[];
  assetId: number;
  start: string;
  note?: string;
  address?: string;
}

/** An advisor books for a member found by member code or phone, on the phone or at the desk. */
export const staffBookingBody = {
  type: "object",
  additionalProperties: false,
  required: [...createBookingBody.required, "channel"],
  properties: {
    ...createBookingBody.properties,
    memberCode: { type: "string", pattern: "^[0-9A-Za-z]{6,16}$" },
    phone: { type: "string", pattern: PHONE_PATTERN },
    channel: { type: "string", enum: ["phone", "walk_in"] },
  },
} as const;
export interface StaffBookingBody extends CreateBookingBody {
  memberCode?: string;
  phone?: string;
  channel: "phone" | "walk_in";
}

export const rescheduleBody = {
  type: "object",
  additionalProperties: false,
  required: ["start"],
  properties: { start: { type: "string", format: "date-time" } },
} as const;

export const myBookingsQuery = {
  type: "object",
  additionalProperties: false,
  properties: { scope: { type: "string", enum: ["upcoming", "past", "all"], default: "all" }, ...pagingFields },
} as const;
export interface MyBookingsQuery extends Paging {
  scope: "upcoming" | "past" | "all";
}
