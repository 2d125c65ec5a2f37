const storeFields = {
  name: { type: "string", minLength: 1, maxLength: 64 },
  address: { type: "string", minLength: 1, maxLength: 200 },
  phone: { type: "string", pattern: "^[0-9+\\-() ]{5,32}$" },
  /** the city weather alerts target, e.g. 上海 */
  city: { type: "string", minLength: 1, maxLength: 32 },
} as const;

export const updateStoreBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: { ...storeFields, active: { type: "boolean" } },
} as const;

export const createStoreBody = {
  type: "object",
  additionalProperties: false,
  required: ["code", "name", "address", "phone"],
  properties: { code: { type: "string", pattern: "^[A-Z0-9-]{2,32}$" }, ...storeFields },
} as const;
export interface CreateStoreBody {
  code: string;
  name: string;
  address: string;
  phone: string;
  city?: string;
}
export interface UpdateStoreBody {
  city?: string;
  name?: string;
  address?: string;
  phone?: string;
  /** false closes the store to new members and bookings */
  active?: boolean;
}
