import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import addFormatsImport from "ajv-formats";
import { AppError } from "./app-error.js";

export type JsonSchema = Record<string, unknown>;

// ajv-formats' default export is typed as a namespace under NodeNext; it is the plugin function.
const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

// Bodies are JSON and must already carry the right types; query strings and path params arrive as
// text and are coerced ("12" → 12) by a second instance. Both compile each schema once.
const bodyAjv = addFormats(new Ajv({ allErrors: true, useDefaults: true, coerceTypes: false, strict: true }));
const textAjv = addFormats(new Ajv({ allErrors: true, useDefaults: true, coerceTypes: true, strict: true }));
const compiled = { body: new WeakMap<JsonSchema, ValidateFunction>(), text: new WeakMap<JsonSchema, ValidateFunction>() };

const KEYWORD_MESSAGES: Record<string, string> = {
  required: "缺少必填字段",
  additionalProperties: "不允许的字段",
  type: "类型不正确",
  format: "格式不正确",
  pattern: "格式不正确",
  enum: "取值不在允许范围内",
  minimum: "数值过小",
  maximum: "数值过大",
  exclusiveMinimum: "数值过小",
  minLength: "内容过短",
  maxLength: "内容过长",
  minProperties: "至少需要一个字段",
  maxItems: "数量过多",
  minItems: "数量过少",
  multipleOf: "数值不合法",
};

function describe(error: ErrorObject, where: string) {
  const params = error.params as { missingProperty?: string; additionalProperty?: string };
  const name = params.missingProperty ?? params.additionalProperty;
  const path = error.instancePath.replace(/^\//, "").replace(/\//g, ".");
  const field = [path, name].filter(Boolean).join(".") || where;
  return { in: where, field, rule: error.keyword, message: KEYWORD_MESSAGES[error.keyword] ?? "不合法" };
}

/** Validates one part of a request (body, query or params) and returns it, or throws VALIDATION_FAILED. */
export function check<T>(schema: JsonSchema, value: unknown, where: "body" | "query" | "params"): T {
  const cache = where === "body" ? compiled.body : compiled.text;
  let validateFn = cache.get(schema);
  if (!validateFn) {
    validateFn = (where === "body" ? bodyAjv : textAjv).compile(schema);
    cache.set(schema, validateFn);
  }
  if (!validateFn(value)) {
    const details = (validateFn.errors ?? []).map((e) => describe(e, where));
    const first = details[0];
    throw new AppError("VALIDATION_FAILED", first ? `请求参数不合法：${first.field} ${first.message}` : "请求参数不合法", details);
  }
  return value as T;
}
