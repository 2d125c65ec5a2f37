// Request types taken from the generated OpenAPI types (schema.d.ts). The server's document
// describes requests (bodies, queries) but not responses, so response shapes live in each module.
import type { paths } from "./schema";

type Op<P extends keyof paths, M extends keyof paths[P]> = paths[P][M];

/** The JSON body of an operation. */
export type BodyOf<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;

/** The query parameters of an operation. */
export type QueryOf<P extends keyof paths, M extends keyof paths[P]> =
  Op<P, M> extends { parameters: { query?: infer Q } } ? NonNullable<Q> : never;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}
