import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsImport from "ajv-formats";
import { AppError } from "./app-error.js";

export type JsonSchema = Record<string, unknown>;

// ajv-formats' default export is typed as a namespace under NodeNext; it is the plugin function.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

/** Largest id and integer the API accepts anywhere: the range of a signed 32-bit INT column. */
export const INT_MAX = 2_147_483_647;
/** Longest free text (no maxLength of its own) the API accepts, in characters. */
export const TEXT_MAX = 2000;

// One instance, no type coercion: bodies are JSON with real types, and query strings and path
// params are converted by coerceText below, which is stricter than Ajv's (Ajv turns "Infinity"
// and "1e309" into numbers that then pass `maximum`).
const ajv = addFormats(new Ajv({ allErrors: true, useDefaults: true, coerceTypes: false, strict: true }));
const compiled = new WeakMap<JsonSchema, ValidateFunction>();
const hardened = new WeakMap<JsonSchema, JsonSchema>();

const KEYWORD_MESSAGES: Record<string, string> = {
  required: "缺少必填字段",
  additionalProperties: "不允许的字段",
  type: "类型不正确",
  format: "格式不正确",
  pattern: "格式不正确",
  enum: "取值不在允许范围内",
  const: "取值不在允许范围内",
  not: "取值不在允许范围内",
  minimum: "数值过小",
  maximum: "数值过大",
  exclusiveMinimum: "数值过小",
  minLength: "内容过短",
  maxLength: "内容过长",
  minProperties: "至少需要一个字段",
  maxItems: "数量过多",
  minItems: "数量过少",
  uniqueItems: "存在重复项",
  multipleOf: "数值不合法",
};

const typesOf = (schema: JsonSchema): string[] => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type as string] : []);

/**
 * A copy of the schema in which every integer is bounded to ±INT_MAX and every free string to
 * TEXT_MAX characters, so no route can let an out-of-range number or an endless text reach SQL.
 * `not` subschemas are left alone: bounding them would invert the meaning.
 */
export function harden(schema: JsonSchema): JsonSchema {
  const known = hardened.get(schema);
  if (known) return known;
  const out: JsonSchema = { ...schema };
  const types = typesOf(schema);
  if (types.includes("integer") || types.includes("number")) {
    out.minimum = Math.max(typeof schema.minimum === "number" ? schema.minimum : -INT_MAX, -INT_MAX);
    out.maximum = Math.min(typeof schema.maximum === "number" ? schema.maximum : INT_MAX, INT_MAX);
  }
  if (types.includes("string") && schema.maxLength === undefined && schema.enum === undefined && schema.const === undefined) out.maxLength = TEXT_MAX;
  if (schema.properties) out.properties = Object.fromEntries(Object.entries(schema.properties as Record<string, JsonSchema>).map(([k, s]) => [k, harden(s)]));
  if (schema.items && typeof schema.items === "object") out.items = harden(schema.items as JsonSchema);
  for (const key of ["anyOf", "oneOf", "allOf"] as const) {
    if (Array.isArray(schema[key])) out[key] = (schema[key] as JsonSchema[]).map(harden);
  }
  hardened.set(schema, out);
  return out;
}

const INTEGER_TEXT = /^-?\d{1,12}$/;
const NUMBER_TEXT = /^-?\d{1,12}(\.\d{1,12})?$/;

/**
 * Turns the text of query strings and path params into the types their schema asks for, strictly:
 * only plain decimal digits become numbers, only "true"/"false" booleans. Anything else (Infinity,
 * 1e309, 0x10, " 5", a repeated key that arrived as an array) stays as it came and fails validation.
 */
function coerceText(schema: JsonSchema, value: Record<string, unknown>): Record<string, unknown> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const out: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(value)) {
    const types = properties[key] ? typesOf(properties[key]) : [];
    if (typeof raw !== "string" || types.includes("string")) out[key] = raw;
    else if (types.includes("integer") && INTEGER_TEXT.test(raw)) out[key] = Number(raw);
    else if (types.includes("number") && NUMBER_TEXT.test(raw)) out[key] = Number(raw);
    else if (types.includes("boolean") && (raw === "true" || raw === "false")) out[key] = raw === "true";
    else out[key] = raw;
  }
  return out;
}

function describe(error: ErrorObject, where: string) {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const name = params.missingProperty ?? params.additionalProperty;
  const path = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const field = [path, name].filter(Boolean).join(".") || where;
  return { in: where, field, rule: error.keyword, message: KEYWORD_MESSAGES[error.keyword] ?? "不合法" };
}

/** Compiles a (hardened) schema once; route registration calls it so a bad schema fails at start. */
export function compile(schema: JsonSchema): ValidateFunction {
  let validateFn = compiled.get(schema);
  if (!validateFn) {
    validateFn = ajv.compile(schema);
    compiled.set(schema, validateFn);
  }
  return validateFn;
}

/** Validates one part of a request (body, query or params) and returns it, or throws VALIDATION_FAILED. */
export function check<T>(schema: JsonSchema, value: unknown, where: "body" | "query" | "params"): T {
  const validateFn = compile(schema);
  const input = where === "body" ? value : coerceText(schema, value as Record<string, unknown>);
  if (!validateFn(input)) {
    const details = (validateFn.errors ?? []).map((e) => describe(e, where));
    const first = details[0];
    throw new AppError("VALIDATION_FAILED", first ? `请求参数不合法：${first.field} ${first.message}` : "请求参数不合法", details);
  }
  return input as T;
}
