/** Query of the weekly and monthly complaint statistics and their exports. */
export const statsQuery = {
  type: "object",
  additionalProperties: false,
  required: ["period", "date"],
  properties: {
    period: { type: "string", enum: ["week", "month"] },
    /** any day of the week or month, in Shanghai */
    date: { type: "string", format: "date", maxLength: 10 },
    storeId: { type: "integer", minimum: 1 },
  },
} as const;

export interface StatsQuery {
  period: "week" | "month";
  date: string;
  storeId?: number;
}
