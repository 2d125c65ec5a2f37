import { statsQuery, type StatsQuery } from "../complaints/stats.schema.js";

/** A week or month (any day of it, in Shanghai) and optionally one store: the same query as the complaint statistics. */
export const periodQuery = statsQuery;
export type PeriodQuery = StatsQuery;

/** Members by tier now; with period and date also the members who joined in that week or month. */
export const tiersQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    period: { type: "string", enum: ["week", "month"] },
    date: { type: "string", format: "date", maxLength: 10 },
    storeId: { type: "integer", minimum: 1 },
  },
} as const;

export interface TiersQuery {
  period?: "week" | "month";
  date?: string;
  storeId?: number;
}
