/** Path params `{ id }` shared by every `/:id` route. */
export const idParams = {
  type: "object",
  additionalProperties: false,
  required: ["id"],
  properties: { id: { type: "integer", minimum: 1 } },
} as const;
export interface IdParams {
  id: number;
}

/** page/pageSize query fields for list endpoints (pageSize at most 100). */
export const pagingFields = {
  page: { type: "integer", minimum: 1, maximum: 10_000, default: 1 },
  pageSize: { type: "integer", minimum: 1, maximum: 100, default: 20 },
} as const;
export interface Paging {
  page: number;
  pageSize: number;
}
