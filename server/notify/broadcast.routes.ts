import { AppError } from "../http/app-error.js";
import { staffOf } from "../http/auth.js";
import { ApiRoutes } from "../http/routes.js";
import { idempotencyKeyOf, runIdempotent } from "../idempotency/idempotency.service.js";
import { listJobs } from "../jobs/scheduler.js";
import { previewWeather, sendWeather, type WeatherBody } from "./weather.js";

const MANAGERS = ["manager", "admin"] as const;

const weatherBody = {
  type: "object",
  additionalProperties: false,
  required: ["text"],
  properties: { storeId: { type: "integer", minimum: 1 }, city: { type: "string", minLength: 1, maxLength: 32 }, text: { type: "string", minLength: 4, maxLength: 100 } },
} as const;

export const broadcastRoutes = () =>
  new ApiRoutes("/api/v1/staff", "预警与任务")
    .add<WeatherBody>({ method: "post", path: "/broadcasts/weather/preview", summary: "天气预警预览：各渠道可触达人数", access: MANAGERS, body: weatherBody }, (ctx, { body }) =>
      ctx.deps.db.read((m) => previewWeather(m, ctx.deps.config, staffOf(ctx), body)),
    )
    .add<WeatherBody>({ method: "post", path: "/broadcasts/weather", summary: "发送天气预警（服务通知，必须带 Idempotency-Key）", access: MANAGERS, body: weatherBody, status: 201 }, (ctx, { body }) => {
      const key = idempotencyKeyOf(ctx.get("Idempotency-Key"));
      if (!key) throw new AppError("IDEMPOTENCY_KEY_REQUIRED", "发送预警需要带 Idempotency-Key 请求头，重试时使用同一个值");
      const staff = staffOf(ctx);
      return runIdempotent(ctx.deps.db, { scope: "broadcast.weather", actor: `staff:${staff.id}`, key, request: body }, (m) => sendWeather(m, ctx.deps.config, staff, body, key, ctx.deps.clock()));
    })
    .add({ method: "get", path: "/jobs", summary: "定时任务及最近执行记录", access: ["admin"] }, (ctx) => listJobs(ctx.deps.db, ctx.deps));
