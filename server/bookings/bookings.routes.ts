import { memberOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { AppError } from "../http/app-error.js";
import { ApiRoutes } from "../http/routes.js";
import { idempotencyKeyOf } from "../idempotency/idempotency.service.js";
import { cancelBooking, createBooking, getMyBooking, listMyBookings, rescheduleBooking } from "./bookings.service.js";
import { createBookingBody, myBookingsQuery, rescheduleBody, slotsQuery, type CreateBookingBody, type MyBookingsQuery, type SlotsQuery } from "./bookings.schema.js";
import { freeSlots } from "./slots.service.js";

export const bookingRoutes = () =>
  new ApiRoutes("/api/v1", "预约")
    .add<never, SlotsQuery>({ method: "get", path: "/slots", summary: "可预约时段（多个项目合并时长）", access: "public", query: slotsQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => freeSlots(m, ctx.deps.config, query.storeId, query.date, query.serviceIds.split(",").map(Number))),
    )
    .add<CreateBookingBody>({ method: "post", path: "/bookings", summary: "预约（必须带 Idempotency-Key）", access: "member", body: createBookingBody, status: 201 }, (ctx, { body }) => {
      const key = idempotencyKeyOf(ctx.get("Idempotency-Key"));
      if (!key) throw new AppError("IDEMPOTENCY_KEY_REQUIRED", "预约请求需要带 Idempotency-Key 请求头，重试时使用同一个值");
      return createBooking(ctx.deps.db, ctx.deps.config, memberOf(ctx).id, body, key);
    })
    .add<never, MyBookingsQuery>({ method: "get", path: "/me/bookings", summary: "我的预约", access: "member", query: myBookingsQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => listMyBookings(m, memberOf(ctx).id, query)),
    )
    .add<never, never, IdParams>({ method: "get", path: "/me/bookings/:id", summary: "预约详情", access: "member", params: idParams }, (ctx, { params }) =>
      ctx.deps.db.read((m) => getMyBooking(m, memberOf(ctx).id, params.id)),
    )
    .add<{ start: string }, never, IdParams>(
      { method: "post", path: "/me/bookings/:id/reschedule", summary: "改约（开始前 2 小时内不可）", access: "member", params: idParams, body: rescheduleBody },
      (ctx, { params, body }) => rescheduleBooking(ctx.deps.db, ctx.deps.config, memberOf(ctx).id, params.id, body.start),
    )
    .add<never, never, IdParams>({ method: "post", path: "/me/bookings/:id/cancel", summary: "取消预约（开始前 2 小时内不可）", access: "member", params: idParams }, (ctx, { params }) =>
      cancelBooking(ctx.deps.db, ctx.deps.config, memberOf(ctx).id, params.id),
    );
