/** The closed set of error codes the API returns; the HTTP status for each lives in error-handler.ts. */
export type ErrorCode =
  | "VALIDATION_FAILED"
  | "INVALID_JSON"
  | "PAYLOAD_TOO_LARGE"
  | "UNAUTHENTICATED"
  | "TOKEN_INVALID"
  | "FORBIDDEN"
  | "STORE_SCOPE_FORBIDDEN"
  | "NOT_FOUND"
  | "METHOD_NOT_ALLOWED"
  | "LOGIN_FAILED"
  | "ACCOUNT_LOCKED"
  | "ACCOUNT_DISABLED"
  | "USERNAME_TAKEN"
  | "DEV_LOGIN_DISABLED"
  | "WECHAT_NOT_CONFIGURED"
  | "WECHAT_CODE_INVALID"
  | "WECHAT_RATE_LIMITED"
  | "WECHAT_USER_RISKY"
  | "WECHAT_UNAVAILABLE"
  | "ASSET_LIMIT_REACHED"
  | "PLATE_DUPLICATE"
  | "STORE_NOT_FOUND"
  | "BIRTHDAY_LOCKED"
  | "MILEAGE_DECREASED"
  | "STAFF_STORE_INVALID"
  | "DATABASE_UNAVAILABLE"
  | "INTERNAL";

/** A domain error: code from the closed set, a Chinese message the user can read, optional details. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const notFound = (what = "资源") => new AppError("NOT_FOUND", `${what}不存在`);
