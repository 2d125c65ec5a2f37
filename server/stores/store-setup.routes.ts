import { staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import {
  activeBody,
  bayBody,
  childParams,
  closureBody,
  closureParams,
  closurePreviewBody,
  hoursBody,
  hoursPreviewBody,
  technicianBody,
  type BayBody,
  type ChildParams,
  type ClosureBody,
  type ClosurePreviewBody,
  type HoursBody,
  type TechnicianBody,
} from "./store-setup.schema.js";
import { addBay, addClosure, addTechnician, previewClosure, previewHours, removeClosure, setActive, setHours, storeSetup } from "./store-setup.service.js";

const MANAGERS = ["manager", "admin"] as const;

/** What store managers set up for booking: hours, closures, bays and technicians. */
export const storeSetupRoutes = () =>
  new ApiRoutes("/api/v1/staff/stores/:id", "门店设置")
    .add<never, never, IdParams>({ method: "get", path: "/setup", summary: "营业时间、休息日、工位与技师", access: ["advisor", "manager", "admin"], params: idParams }, (ctx, { params }) =>
      ctx.deps.db.read((m) => storeSetup(m, staffOf(ctx), params.id)),
    )
    .add<HoursBody, never, IdParams>({ method: "put", path: "/hours", summary: "设置每周营业时间（影响已有预约时 409 BOOKINGS_AFFECTED，可选由门店取消并填写原因）", access: MANAGERS, params: idParams, body: hoursBody }, (ctx, { params, body }) =>
      setHours(ctx.deps.db, ctx.deps.config, staffOf(ctx), params.id, body),
    )
    .add<HoursBody, never, IdParams>({ method: "post", path: "/hours/preview", summary: "预览：新营业时间会影响的已有预约（不做修改）", access: MANAGERS, params: idParams, body: hoursPreviewBody }, (ctx, { params, body }) =>
      previewHours(ctx.deps.db, staffOf(ctx), params.id, body),
    )
    .add<ClosurePreviewBody, never, IdParams>({ method: "post", path: "/closures/preview", summary: "预览：该日休息会影响的已有预约（不做修改）", access: MANAGERS, params: idParams, body: closurePreviewBody }, (ctx, { params, body }) =>
      previewClosure(ctx.deps.db, staffOf(ctx), params.id, body),
    )
    .add<ClosureBody, never, IdParams>({ method: "post", path: "/closures", summary: "添加门店休息日（影响已有预约时 409 BOOKINGS_AFFECTED，可选由门店取消并填写原因）", access: MANAGERS, params: idParams, body: closureBody, status: 201 }, (ctx, { params, body }) =>
      addClosure(ctx.deps.db, staffOf(ctx), params.id, body),
    )
    .add<never, never, { id: number; date: string }>({ method: "delete", path: "/closures/:date", summary: "取消门店休息日", access: MANAGERS, params: closureParams }, (ctx, { params }) =>
      ctx.deps.db.tx((m) => removeClosure(m, staffOf(ctx), params.id, params.date)),
    )
    .add<TechnicianBody, never, IdParams>({ method: "post", path: "/technicians", summary: "添加技师", access: MANAGERS, params: idParams, body: technicianBody, status: 201 }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => addTechnician(m, staffOf(ctx), params.id, body)),
    )
    .add<{ active: boolean }, never, ChildParams>({ method: "put", path: "/technicians/:childId/active", summary: "技师在岗/停用", access: MANAGERS, params: childParams, body: activeBody }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => setActive(m, staffOf(ctx), params.id, "technician", params.childId, body.active)),
    )
    .add<BayBody, never, IdParams>({ method: "post", path: "/bays", summary: "添加工位", access: MANAGERS, params: idParams, body: bayBody, status: 201 }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => addBay(m, staffOf(ctx), params.id, body)),
    )
    .add<{ active: boolean }, never, ChildParams>({ method: "put", path: "/bays/:childId/active", summary: "工位启用/停用", access: MANAGERS, params: childParams, body: activeBody }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => setActive(m, staffOf(ctx), params.id, "bay", params.childId, body.active)),
    );
