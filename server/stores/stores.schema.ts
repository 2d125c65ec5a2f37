export const updateStoreBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: "string", minLength: 1, maxLength: 64 },
    address: { type: "string", minLength: 1, maxLength: 200 },
    phone: { type: "string", pattern: "^[0-9+\\-() ]{5,32}$" },
  },
} as const;
export interface UpdateStoreBody {
  name?: string;
  address?: string;
  phone?: string;
}
