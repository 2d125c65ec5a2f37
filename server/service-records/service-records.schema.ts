export const completeBody = {
  type: "object",
  additionalProperties: false,
  required: ["items", "mileage"],
  properties: {
    items: {
      type: "array",
      minItems: 1,
      maxItems: 50,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name", "kind", "amountFen"],
        properties: {
          name: { type: "string", minLength: 1, maxLength: 64 },
          kind: { type: "string", enum: ["labour", "part"] },
          /** fen for one unit */
          amountFen: { type: "integer", minimum: 0, maximum: 10_000_000 },
          quantity: { type: "integer", minimum: 1, maximum: 100, default: 1 },
        },
      },
    },
    /** km on the odometer when the car is handed back */
    mileage: { type: "integer", minimum: 0, maximum: 2_000_000 },
    /** spend category for points; by default repair when the visit included a repair, else maintenance */
    category: { type: "string", pattern: "^[a-z_]{2,24}$" },
  },
} as const;
export interface CompleteBody {
  items: { name: string; kind: "labour" | "part"; amountFen: number; quantity: number }[];
  mileage: number;
  category?: string;
}

export const ratingBody = {
  type: "object",
  additionalProperties: false,
  required: ["score"],
  properties: {
    score: { type: "integer", minimum: 1, maximum: 5 },
    comment: { type: "string", maxLength: 500 },
  },
} as const;
export interface RatingBody {
  score: number;
  comment?: string;
}

export const dueQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    days: { type: "integer", minimum: 0, maximum: 365, default: 30 },
    storeId: { type: "integer", minimum: 1 },
  },
} as const;
export interface DueQuery {
  days: number;
  storeId?: number;
}
