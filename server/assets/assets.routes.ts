import { memberOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { createAssetBody, updateAssetBody, type CreateAssetBody, type UpdateAssetBody } from "./assets.schema.js";
import { addAsset, getAssetView, listAssets, removeAsset, updateAsset } from "./assets.service.js";

export const assetRoutes = () =>
  new ApiRoutes("/api/v1/me/assets", "车辆档案")
    .add({ method: "get", path: "", summary: "我的车辆（设备）", access: "member" }, (ctx) => ctx.deps.db.read((m) => listAssets(m, memberOf(ctx).id)))
    .add<CreateAssetBody>({ method: "post", path: "", summary: "添加车辆（设备），同时建立一车一档", access: "member", body: createAssetBody, status: 201 }, (ctx, { body }) =>
      addAsset(ctx.deps.db, memberOf(ctx).id, body),
    )
    .add<never, never, IdParams>({ method: "get", path: "/:id", summary: "车辆（设备）详情", access: "member", params: idParams }, (ctx, { params }) =>
      ctx.deps.db.read((m) => getAssetView(m, memberOf(ctx).id, params.id)),
    )
    .add<UpdateAssetBody, never, IdParams>(
      { method: "patch", path: "/:id", summary: "修改车辆（设备）信息", access: "member", params: idParams, body: updateAssetBody },
      (ctx, { body, params }) => updateAsset(ctx.deps.db, memberOf(ctx).id, params.id, body),
    )
    .add<never, never, IdParams>({ method: "delete", path: "/:id", summary: "移除车辆（设备），档案保留", access: "member", params: idParams, status: 204 }, (ctx, { params }) =>
      removeAsset(ctx.deps.db, memberOf(ctx).id, params.id),
    );
