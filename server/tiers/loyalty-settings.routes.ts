import { staffOf } from "../http/auth.js";
import { ApiRoutes } from "../http/routes.js";
import {
  codeParams,
  putBenefitBody,
  putCategoryBody,
  putRuleBody,
  updateTierBody,
  type PutBenefitBody,
  type PutCategoryBody,
  type PutRuleBody,
  type UpdateTierBody,
} from "./loyalty-settings.schema.js";
import { listEarningSettings, putBenefit, putCategory, putRule, updateTier } from "./loyalty-settings.service.js";

type CodeParams = { code: string };

/** Loyalty rules the head office changes without a release: tiers, benefits, spend categories, action rules. */
export const loyaltySettingsRoutes = () =>
  new ApiRoutes("/api/v1/staff/loyalty", "积分规则设置")
    .add({ method: "get", path: "/earning", summary: "消费类别倍率与行为积分规则", access: ["manager", "admin"] }, (ctx) => ctx.deps.db.read(listEarningSettings))
    .add<UpdateTierBody, never, CodeParams>({ method: "patch", path: "/tiers/:code", summary: "修改会员等级", access: ["admin"], params: codeParams, body: updateTierBody }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => updateTier(m, staffOf(ctx), params.code, body)),
    )
    .add<PutBenefitBody>({ method: "put", path: "/benefits", summary: "设置等级权益次数（0 为取消）", access: ["admin"], body: putBenefitBody }, (ctx, { body }) =>
      ctx.deps.db.tx((m) => putBenefit(m, staffOf(ctx), body)),
    )
    .add<PutCategoryBody, never, CodeParams>({ method: "put", path: "/categories/:code", summary: "设置消费类别积分倍率", access: ["admin"], params: codeParams, body: putCategoryBody }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => putCategory(m, staffOf(ctx), params.code, body)),
    )
    .add<PutRuleBody, never, CodeParams>({ method: "put", path: "/rules/:code", summary: "设置行为积分规则", access: ["admin"], params: codeParams, body: putRuleBody }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => putRule(m, staffOf(ctx), params.code, body)),
    );
