import type { Context, Next } from "koa";
import { AppError, type ErrorCode } from "./app-error.js";

const STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  STORE_SCOPE_FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  LOGIN_FAILED: 401,
  ACCOUNT_LOCKED: 423,
  ACCOUNT_DISABLED: 403,
  USERNAME_TAKEN: 409,
  DEV_LOGIN_DISABLED: 404,
  WECHAT_NOT_CONFIGURED: 503,
  WECHAT_CODE_INVALID: 400,
  WECHAT_RATE_LIMITED: 429,
  WECHAT_USER_RISKY: 403,
  WECHAT_UNAVAILABLE: 502,
  ASSET_LIMIT_REACHED: 409,
  PLATE_DUPLICATE: 409,
  STORE_NOT_FOUND: 400,
  BIRTHDAY_LOCKED: 409,
  MILEAGE_DECREASED: 409,
  STAFF_STORE_INVALID: 400,
  POINTS_INSUFFICIENT: 409,
  CATEGORY_UNKNOWN: 400,
  RULE_UNKNOWN: 400,
  ACTION_ALREADY_CREDITED: 409,
  ORDER_NO_CONFLICT: 409,
  CONSUMPTION_ALREADY_VOIDED: 409,
  BENEFIT_NOT_AVAILABLE: 409,
  BENEFIT_EXHAUSTED: 409,
  COUPON_NOT_FOUND: 404,
  COUPON_OUT_OF_STOCK: 409,
  COUPON_LIMIT_REACHED: 409,
  COUPON_TIER_RESTRICTED: 403,
  COUPON_NOT_CLAIMABLE: 409,
  COUPON_TEMPLATE_PAUSED: 409,
  COUPON_TEMPLATE_EXPIRED: 409,
  COUPON_TEMPLATE_INVALID: 400,
  COUPON_TEMPLATE_ISSUED: 409,
  COUPON_TEMPLATE_IN_USE: 409,
  COUPON_STOCK_BELOW_ISSUED: 409,
  COUPON_ALREADY_USED: 409,
  COUPON_EXPIRED: 409,
  COUPON_VOID: 409,
  COUPON_NOT_YET_VALID: 409,
  COUPON_WRONG_STORE: 409,
  COUPON_THRESHOLD_NOT_MET: 409,
  IDEMPOTENCY_KEY_REUSED: 422,
  STORE_REQUIRED: 400,
  SERVICE_UNKNOWN: 400,
  BOOKING_NEEDS_BAY_SERVICE: 400,
  BOOKING_OUT_OF_HORIZON: 400,
  BOOKING_TOO_SOON: 400,
  BOOKING_START_INVALID: 400,
  STORE_CLOSED: 409,
  SLOT_FULL: 409,
  BOOKING_SUSPENDED: 403,
  BOOKING_CHANGE_TOO_LATE: 409,
  BOOKING_STATUS_CONFLICT: 409,
  TECHNICIAN_UNAVAILABLE: 409,
  BOOKING_NOT_STARTED: 409,
  IDEMPOTENCY_KEY_REQUIRED: 400,
  ALREADY_RATED: 409,
  BOOKINGS_AFFECTED: 409,
  MESSAGE_NOT_FOUND: 404,
  MESSAGE_LEASE_LOST: 409,
  MESSAGE_NOT_CANCELLABLE: 409,
  CALL_TASK_NOT_FOUND: 404,
  CALL_TASK_DONE: 409,
  TEMPLATE_UNKNOWN: 400,
  BOT_TOKEN_INVALID: 401,
  JOB_UNKNOWN: 404,
  BODY_ENCODING_INVALID: 400,
  BODY_ENCODING_UNSUPPORTED: 415,
  COMPLAINT_NOT_FOUND: 404,
  COMPLAINT_STATUS_CONFLICT: 409,
  COMPLAINT_NOT_OWNER: 403,
  COMPLAINT_ACCUSED_EXCLUDED: 409,
  COMPLAINT_QUEUE_EMPTY: 404,
  COMPLAINT_STAFF_UNKNOWN: 400,
  COMPLAINT_NOT_MAJOR: 409,
  COMPLAINT_REPORT_EXISTS: 409,
  COMPLAINT_INVESTIGATION_REQUIRED: 400,
  COMPENSATION_INVALID: 400,
  APPROVAL_NOT_PENDING: 409,
  APPROVAL_OVER_LIMIT: 403,
  SURVEY_NOT_OPEN: 409,
  SURVEY_DONE: 409,
  RETURN_VISIT_NOT_OPEN: 409,
  CASE_EXISTS: 409,
  MEMBER_AMBIGUOUS: 409,
  PHOTO_INVALID: 400,
  PHOTO_TOO_LARGE: 413,
  PHOTO_TYPE_UNSUPPORTED: 415,
  PHOTO_LIMIT_REACHED: 400,
  BOT_NOT_BOUND: 403,
  BIND_CODE_INVALID: 409,
  BIND_LOCKED: 423,
  HANDOFF_NOT_FOUND: 404,
  HANDOFF_CLOSED: 409,
  HANDOFF_NOT_AGENT: 403,
  DIALOG_TOO_LARGE: 413,
  FAQ_NOT_FOUND: 404,
  FAQ_ID_TAKEN: 409,
  FAQ_DUPLICATE_ID: 400,
  FAQ_ALTERNATES_FULL: 409,
  FAQ_MISS_NOT_FOUND: 404,
  FAQ_MISS_CLOSED: 409,
  FAQ_RATE_LIMITED: 429,
  DB_UNAVAILABLE: 503,
  BUSY: 503,
  INTERNAL: 500,
};

/** Seconds a client should wait before retrying, for the codes that mean "try again later". */
const RETRY_AFTER: Partial<Record<ErrorCode, number>> = { DB_UNAVAILABLE: 5, BUSY: 1, WECHAT_RATE_LIMITED: 60 };

/**
 * Errors thrown by koa's own middleware (body parser) carry an HTTP status or a zlib code; give them
 * a code. A body that claims gzip/deflate/br but does not decompress is the client's fault (400):
 * zlib's errors carry Z_* codes, Brotli's ERR__ERROR_*.
 */
function fromHttpError(err: { status?: number; statusCode?: number; type?: string; code?: string }): AppError | null {
  if (typeof err.code === "string" && /^(Z_|ERR__ERROR_)/.test(err.code)) return new AppError("BODY_ENCODING_INVALID", "请求体压缩数据无法解压");
  if (err.type === "encoding.unsupported") return new AppError("BODY_ENCODING_UNSUPPORTED", "不支持该请求体编码（Content-Encoding）");
  const status = err.status ?? err.statusCode;
  if (status === 413) return new AppError("PAYLOAD_TOO_LARGE", "请求体过大");
  if (status === 415) return new AppError("BODY_ENCODING_UNSUPPORTED", "不支持该请求体编码");
  if (status !== undefined && status >= 400 && status < 500) return new AppError("INVALID_JSON", "请求体不是合法的 JSON");
  return null;
}

/** First middleware: turns every thrown error into `{ error: { code, message, details } }`. */
export async function errorHandler(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.status === 404 && ctx.body === undefined) throw new AppError("NOT_FOUND", "接口不存在");
  } catch (caught) {
    const err = caught as Error & { status?: number };
    const appError = err instanceof AppError ? err : fromHttpError(err);
    if (appError) {
      ctx.status = STATUS[appError.code];
      ctx.body = { error: { code: appError.code, message: appError.message, details: appError.details ?? null } };
      const retryAfter = RETRY_AFTER[appError.code];
      if (retryAfter) ctx.set("Retry-After", String(retryAfter));
      return;
    }
    ctx.state.log?.error({ err }, "unhandled error");
    ctx.status = 500;
    ctx.body = { error: { code: "INTERNAL", message: "服务器内部错误，请稍后再试", details: { requestId: ctx.state.requestId } } };
  }
}
