import { staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { storeOfAction } from "../members/members.service.js";
import { completeBody, type CompleteBody } from "../service-records/service-records.schema.js";
import { completeBooking } from "../service-records/service-records.service.js";
import { AppError } from "../http/app-error.js";
import { idempotencyKeyOf } from "../idempotency/idempotency.service.js";
import { staffBookingBody, type StaffBookingBody } from "./bookings.schema.js";
import { assignTechnician, bookForMember, checkIn, confirmBooking, daySchedule, lateBookings, markArrived, markNoShow, markReady, startService } from "./staff-bookings.service.js";

const FRONT_DESK = ["advisor", "manager", "admin"] as const;

const scheduleQuery = {
  type: "object",
  additionalProperties: false,
  required: ["date"],
  properties: { date: { type: "string", format: "date" }, storeId: { type: "integer", minimum: 1 } },
} as const;
const checkInBody = { type: "object", additionalProperties: false, required: ["mileage"], properties: { mileage: { type: "integer", minimum: 0, maximum: 2_000_000 } } } as const;
const assignBody = { type: "object", additionalProperties: false, properties: { technicianId: { type: "integer", minimum: 1 } } } as const;

export const staffBookingRoutes = () =>
  new ApiRoutes("/api/v1/staff/bookings", "预约（员工）")
    .add<never, { date: string; storeId?: number }>({ method: "get", path: "", summary: "门店当日排程", access: ["advisor", "agent", "manager", "admin"], query: scheduleQuery }, (ctx, { query }) => {
      const staff = staffOf(ctx);
      return ctx.deps.db.read((m) => daySchedule(m, staff, storeOfAction(staff, query.storeId), query.date));
    })
    .add<StaffBookingBody>({ method: "post", path: "", summary: "为会员预约（电话、到店；必须带 Idempotency-Key）", access: FRONT_DESK, body: staffBookingBody, status: 201 }, (ctx, { body }) => {
      const key = idempotencyKeyOf(ctx.get("Idempotency-Key"));
      if (!key) throw new AppError("IDEMPOTENCY_KEY_REQUIRED", "预约请求需要带 Idempotency-Key 请求头，重试时使用同一个值");
      return bookForMember(ctx.deps.db, ctx.deps.config, staffOf(ctx), body, key);
    })
    .add({ method: "get", path: "/late", summary: "未兑现服务承诺的预约（近 7 天）", access: ["advisor", "manager", "admin"] }, (ctx) => ctx.deps.db.read((m) => lateBookings(m, staffOf(ctx))))
    .add<never, never, IdParams>({ method: "post", path: "/:id/confirm", summary: "响应预约（2 小时承诺）", access: FRONT_DESK, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => confirmBooking(m, staffOf(ctx), params.id)),
    )
    .add<never, never, IdParams>({ method: "post", path: "/:id/arrive", summary: "取车司机到达（10 分钟承诺）", access: FRONT_DESK, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => markArrived(m, staffOf(ctx), params.id)),
    )
    .add<{ mileage: number }, never, IdParams>({ method: "post", path: "/:id/check-in", summary: "到店登记（记录里程）", access: FRONT_DESK, params: idParams, body: checkInBody }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => checkIn(m, staffOf(ctx), params.id, body.mileage)),
    )
    .add<{ technicianId?: number }, never, IdParams>({ method: "post", path: "/:id/assign", summary: "分配技师（不指定则选当天最空闲且有技能者）", access: FRONT_DESK, params: idParams, body: assignBody }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => assignTechnician(m, staffOf(ctx), params.id, body.technicianId)),
    )
    .add<never, never, IdParams>({ method: "post", path: "/:id/start", summary: "开始施工", access: FRONT_DESK, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => startService(m, staffOf(ctx), params.id)),
    )
    .add<never, never, IdParams>({ method: "post", path: "/:id/ready", summary: "完工待取车", access: FRONT_DESK, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => markReady(m, staffOf(ctx), params.id)),
    )
    .add<CompleteBody, never, IdParams>({ method: "post", path: "/:id/complete", summary: "交车结算：写服务记录、积分、下次保养", access: FRONT_DESK, params: idParams, body: completeBody }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => completeBooking(m, ctx.deps.config, staffOf(ctx), params.id, body)),
    )
    .add<never, never, IdParams>({ method: "post", path: "/:id/no-show", summary: "标记未到店", access: FRONT_DESK, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => markNoShow(m, staffOf(ctx), params.id)),
    );
