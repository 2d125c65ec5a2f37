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
  | "POINTS_INSUFFICIENT"
  | "CATEGORY_UNKNOWN"
  | "RULE_UNKNOWN"
  | "ORDER_NO_CONFLICT"
  | "CONSUMPTION_ALREADY_VOIDED"
  | "BENEFIT_NOT_AVAILABLE"
  | "BENEFIT_EXHAUSTED"
  | "COUPON_NOT_FOUND"
  | "COUPON_OUT_OF_STOCK"
  | "COUPON_LIMIT_REACHED"
  | "COUPON_TIER_RESTRICTED"
  | "COUPON_NOT_CLAIMABLE"
  | "COUPON_TEMPLATE_PAUSED"
  | "COUPON_TEMPLATE_EXPIRED"
  | "COUPON_TEMPLATE_INVALID"
  | "COUPON_ALREADY_USED"
  | "COUPON_EXPIRED"
  | "COUPON_VOID"
  | "COUPON_NOT_YET_VALID"
  | "COUPON_WRONG_STORE"
  | "COUPON_THRESHOLD_NOT_MET"
  | "IDEMPOTENCY_KEY_REUSED"
  | "STORE_REQUIRED"
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
