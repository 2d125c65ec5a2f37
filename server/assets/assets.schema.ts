const assetFields = {
  plate: { type: "string", minLength: 2, maxLength: 16 },
  vinLast6: { type: "string", pattern: "^[A-HJ-NPR-Za-hj-npr-z0-9]{6}$" },
  model: { type: "string", minLength: 1, maxLength: 64 },
  purchaseDate: { type: "string", format: "date" },
  mileage: { type: "integer", minimum: 0, maximum: 2_000_000 },
} as const;

export const createAssetBody = {
  type: "object",
  additionalProperties: false,
  required: ["plate", "model"],
  properties: { kind: { type: "string", enum: ["car", "appliance"], default: "car" }, ...assetFields },
} as const;

export const updateAssetBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: assetFields,
} as const;

export interface AssetFields {
  /** car: licence plate; appliance: serial number */
  plate: string;
  vinLast6?: string;
  model: string;
  /** YYYY-MM-DD */
  purchaseDate?: string;
  /** km */
  mileage?: number;
}
export interface CreateAssetBody extends AssetFields {
  kind: "car" | "appliance";
}
export type UpdateAssetBody = Partial<AssetFields>;
