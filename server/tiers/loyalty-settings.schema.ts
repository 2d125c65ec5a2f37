const pct = { type: "integer", minimum: 0, maximum: 1000 } as const;

export const codeParams = {
  type: "object",
  additionalProperties: false,
  required: ["code"],
  properties: { code: { type: "string", pattern: "^[a-z_]{2,32}$" } },
} as const;

export const updateTierBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: "string", minLength: 1, maxLength: 16 },
    threshold: { type: "integer", minimum: 0, maximum: 100_000_000 },
    multiplierPct: pct,
    birthdayMultiplierPct: pct,
    labourDiscountPct: { type: "integer", minimum: 0, maximum: 100 },
  },
} as const;
export interface UpdateTierBody {
  name?: string;
  threshold?: number;
  multiplierPct?: number;
  birthdayMultiplierPct?: number;
  labourDiscountPct?: number;
}

export const putBenefitBody = {
  type: "object",
  additionalProperties: false,
  required: ["tierCode", "code", "name", "quota", "period"],
  properties: {
    tierCode: { type: "string", pattern: "^[a-z_]{2,16}$" },
    code: { type: "string", pattern: "^[a-z_]{2,32}$" },
    name: { type: "string", minLength: 1, maxLength: 32 },
    /** 0 removes the benefit from the tier */
    quota: { type: "integer", minimum: 0, maximum: 1000 },
    period: { type: "string", enum: ["month", "year"] },
  },
} as const;
export interface PutBenefitBody {
  tierCode: string;
  code: string;
  name: string;
  quota: number;
  period: "month" | "year";
}

export const putCategoryBody = {
  type: "object",
  additionalProperties: false,
  required: ["name", "multiplierPct", "active"],
  properties: { name: { type: "string", minLength: 1, maxLength: 32 }, multiplierPct: pct, active: { type: "boolean" } },
} as const;
export interface PutCategoryBody {
  name: string;
  multiplierPct: number;
  active: boolean;
}

export const putRuleBody = {
  type: "object",
  additionalProperties: false,
  required: ["name", "points", "active"],
  properties: { name: { type: "string", minLength: 1, maxLength: 32 }, points: { type: "integer", minimum: 0, maximum: 1_000_000 }, active: { type: "boolean" } },
} as const;
export interface PutRuleBody {
  name: string;
  points: number;
  active: boolean;
}
