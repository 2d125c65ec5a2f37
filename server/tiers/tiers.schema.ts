export const useBenefitBody = {
  type: "object",
  additionalProperties: false,
  required: ["memberCode", "benefitCode", "reference"],
  properties: {
    memberCode: { type: "string", pattern: "^[0-9A-Za-z]{6,16}$" },
    benefitCode: { type: "string", pattern: "^[a-z_]{2,32}$" },
    /** work order or booking number: one use per reference */
    reference: { type: "string", pattern: "^[A-Za-z0-9_:.-]{1,64}$" },
    storeId: { type: "integer", minimum: 1 },
  },
} as const;
export interface UseBenefitBody {
  memberCode: string;
  benefitCode: string;
  reference: string;
  storeId?: number;
}
