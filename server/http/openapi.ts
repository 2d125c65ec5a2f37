import type { RouteDoc } from "./routes.js";
import type { JsonSchema } from "./validate.js";

const ERROR_SCHEMA = {
  type: "object",
  properties: {
    error: {
      type: "object",
      properties: { code: { type: "string" }, message: { type: "string" }, details: {} },
      required: ["code", "message", "details"],
    },
  },
  required: ["error"],
};

function parametersOf(schema: JsonSchema | undefined, where: "query" | "path") {
  const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
  const required = (schema?.required ?? []) as string[];
  return Object.entries(properties).map(([name, s]) => ({ name, in: where, required: where === "path" || required.includes(name), schema: s }));
}

/** An OpenAPI 3.1 document built from the same schemas that validate the requests. */
export function buildOpenApi(docs: RouteDoc[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const doc of docs) {
    const path = doc.fullPath.replace(/:(\w+)/g, "{$1}");
    const status = String(doc.status ?? 200);
    paths[path] ??= {};
    paths[path][doc.method] = {
      summary: doc.summary,
      tags: [doc.tag],
      security: doc.access === "public" ? [] : [{ bearer: [] }],
      "x-access": doc.access,
      parameters: [...parametersOf(doc.params, "path"), ...parametersOf(doc.query, "query")],
      ...(doc.body ? { requestBody: { required: true, content: { "application/json": { schema: doc.body } } } } : {}),
      responses: {
        [status]: { description: "成功" },
        "4XX": { description: "请求错误", content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } },
      },
    };
  }
  return {
    openapi: "3.1.0",
    info: { title: "售后会员服务 API", version },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}
