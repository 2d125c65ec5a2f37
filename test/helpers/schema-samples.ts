import { Ajv } from "ajv";
import addFormatsImport from "ajv-formats";

type Schema = Record<string, any>;

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;
const ajv = addFormats(new Ajv({ strict: false }));

// Strings that satisfy most patterns and formats the API declares; the first that fits is used.
const CANDIDATES = [
  "13800138001", "2026-12-01", "09:00", "A12345", "abc123", "Abc12345", "SH-PD", "abc_def", "沪A12345",
  "ABCDEFGH12345678", "idem-key-0001", "1", "正常的一段说明文字", "2026-12-01T02:00:00.000Z",
];

/** A value that the schema accepts, as far as a small generator can tell (required fields only for objects). */
export function sampleOf(schema: Schema): unknown {
  if (schema.default !== undefined) return schema.default;
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.anyOf || schema.oneOf) return sampleOf((schema.anyOf ?? schema.oneOf)[0]);
  const type = Array.isArray(schema.type) ? schema.type.find((t: string) => t !== "null") : schema.type;
  switch (type) {
    case "integer":
    case "number": {
      const value = Math.max(schema.minimum ?? 1, 1);
      return schema.not?.const === value ? value + 1 : value;
    }
    case "boolean":
      return true;
    case "array":
      return Array.from({ length: Math.max(schema.minItems ?? 1, 1) }, (_, i) => {
        const item = sampleOf(schema.items ?? {});
        return typeof item === "number" ? item + i : item;
      });
    case "object":
      return Object.fromEntries(((schema.required ?? []) as string[]).map((k) => [k, sampleOf(schema.properties?.[k] ?? {})]));
    case "string": {
      const check = ajv.compile({ ...schema, default: undefined });
      return CANDIDATES.find((c) => check(c)) ?? "x".repeat(Math.max(schema.minLength ?? 1, 1));
    }
    default:
      return "x";
  }
}
