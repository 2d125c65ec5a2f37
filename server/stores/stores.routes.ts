import { staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { createStoreBody, updateStoreBody, type CreateStoreBody, type UpdateStoreBody } from "./stores.schema.js";
import { createStore, listServiceTypes, listStores, updateStore } from "./stores.service.js";

export const storeRoutes = () =>
  new ApiRoutes("/api/v1", "门店")
    .add({ method: "get", path: "/stores", summary: "门店列表", access: "public" }, (ctx) => ctx.deps.db.read(listStores))
    .add({ method: "get", path: "/service-types", summary: "服务项目", access: "public" }, (ctx) => ctx.deps.db.read(listServiceTypes))
    .add<CreateStoreBody>({ method: "post", path: "/staff/stores", summary: "开设门店", access: ["admin"], body: createStoreBody, status: 201 }, (ctx, { body }) =>
      ctx.deps.db.tx((m) => createStore(m, staffOf(ctx), body)),
    )
    .add<UpdateStoreBody, never, IdParams>(
      { method: "patch", path: "/staff/stores/:id", summary: "修改门店信息（停业：active=false）", access: ["manager", "admin"], params: idParams, body: updateStoreBody },
      (ctx, { params, body }) => ctx.deps.db.tx((m) => updateStore(m, staffOf(ctx), params.id, body)),
    );
