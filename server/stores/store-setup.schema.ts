/** When bookings fall outside the new hours: true has the store cancel them, with the reason members are given. */
const affectedChoice = {
  cancelAffected: { type: "boolean" },
  cancelReason: { type: "string", minLength: 2, maxLength: 200 },
} as const;

const time = { type: "string", pattern: "^([01][0-9]|2[0-3]):[03]0$" } as const;

const hoursFields = {
  /** the whole week; a weekday left out is closed */
  week: {
    type: "array",
    maxItems: 7,
    items: {
      type: "object",
      additionalProperties: false,
      required: ["weekday", "opensAt", "closesAt"],
      properties: { weekday: { type: "integer", minimum: 0, maximum: 6 }, opensAt: time, closesAt: time },
    },
  },
  closedOnHolidays: { type: "boolean" },
} as const;

export const hoursBody = { type: "object", additionalProperties: false, required: ["week"], properties: { ...hoursFields, ...affectedChoice } } as const;
/** Proposed hours, to list the bookings they would affect. */
export const hoursPreviewBody = { type: "object", additionalProperties: false, required: ["week"], properties: hoursFields } as const;
export interface HoursBody {
  week: { weekday: number; opensAt: string; closesAt: string }[];
  closedOnHolidays?: boolean;
  cancelAffected?: boolean;
  cancelReason?: string;
}

const closureFields = { date: { type: "string", format: "date" }, reason: { type: "string", minLength: 2, maxLength: 100 } } as const;
export const closureBody = { type: "object", additionalProperties: false, required: ["date", "reason"], properties: { ...closureFields, ...affectedChoice } } as const;
/** A proposed closure, to list the bookings it would affect. */
export const closurePreviewBody = { type: "object", additionalProperties: false, required: ["date"], properties: closureFields } as const;
export interface ClosureBody {
  date: string;
  reason: string;
  cancelAffected?: boolean;
  cancelReason?: string;
}
export type ClosurePreviewBody = Pick<ClosureBody, "date"> & { reason?: string };

export const closureParams = {
  type: "object",
  additionalProperties: false,
  required: ["id", "date"],
  properties: { id: { type: "integer", minimum: 1 }, date: { type: "string", format: "date" } },
} as const;

export const technicianBody = {
  type: "object",
  additionalProperties: false,
  required: ["name", "skills"],
  properties: {
    name: { type: "string", minLength: 1, maxLength: 32 },
    skills: { type: "array", minItems: 1, maxItems: 10, uniqueItems: true, items: { type: "string", pattern: "^[a-z_]{2,32}$" } },
  },
} as const;
export interface TechnicianBody {
  name: string;
  skills: string[];
}

export const bayBody = {
  type: "object",
  additionalProperties: false,
  required: ["kind", "name"],
  properties: { kind: { type: "string", enum: ["lift", "inspection"] }, name: { type: "string", minLength: 1, maxLength: 32 } },
} as const;
export interface BayBody {
  kind: "lift" | "inspection";
  name: string;
}

export const activeBody = {
  type: "object",
  additionalProperties: false,
  required: ["active"],
  properties: { active: { type: "boolean" } },
} as const;

export const childParams = {
  type: "object",
  additionalProperties: false,
  required: ["id", "childId"],
  properties: { id: { type: "integer", minimum: 1 }, childId: { type: "integer", minimum: 1 } },
} as const;
export interface ChildParams {
  id: number;
  childId: number;
}
