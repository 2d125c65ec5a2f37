import { memberOf, staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { complaintForStaff } from "./access.js";
import { answerSurvey, recordReturnVisit } from "./aftercare.service.js";
import { addCase, listCases } from "./cases.service.js";
import { compensationOptions, decideApproval, pendingApproval, resolveComplaint } from "./resolution.service.js";
import {
  approvalBody, caseBody, caseQuery, resolveBody, returnVisitBody, surveyBody,
  type ApprovalBody, type CaseQuery, type ResolveBody, type ReturnVisitBody, type SurveyBody,
} from "./resolution.schema.js";
import { staffDetail } from "./views.js";

const ALL_STAFF = ["advisor", "agent", "manager", "admin"] as const;
const MANAGERS = ["manager", "admin"] as const;

/** Staff's side after the conversation: resolution with its investigation and compensation, approval, return visit, case library. */
export const complaintResolutionStaffRoutes = () =>
  new ApiRoutes("/api/v1/staff", "投诉处理")
    .add<ResolveBody, never, IdParams>({ method: "post", path: "/complaints/:id/resolve", summary: "解决投诉：调查报告、答复客户、补偿（超出权限时提交审批）", access: ALL_STAFF, params: idParams, body: resolveBody }, async (ctx, { params, body }) => {
      const staff = staffOf(ctx);
      const now = ctx.deps.clock();
      const outcome = await ctx.deps.db.tx((m) => resolveComplaint(m, ctx.deps.config, staff, params.id, body, now));
      return { outcome, complaint: await ctx.deps.db.read(async (m) => staffDetail(m, staff, await complaintForStaff(m, staff, params.id), now)) };
    })
    .add<never, never, IdParams>({ method: "get", path: "/complaints/:id/compensation-options", summary: "可用的补偿：本店门店发放的优惠券及面值、我的审批额度", access: ALL_STAFF, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.read((m) => compensationOptions(m, ctx.deps.config.complaints, staffOf(ctx), params.id, ctx.deps.clock())),
    )
    .add<never, never, IdParams>({ method: "get", path: "/complaints/:id/approval", summary: "待审批的补偿与处理方案", access: ALL_STAFF, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.read((m) => pendingApproval(m, ctx.deps.config.complaints, staffOf(ctx), params.id)),
    )
    .add<ApprovalBody, never, IdParams>({ method: "post", path: "/complaints/:id/approval", summary: "审批补偿：批准即解决并发放，驳回退回处理人", access: MANAGERS, params: idParams, body: approvalBody }, async (ctx, { params, body }) => {
      const staff = staffOf(ctx);
      const now = ctx.deps.clock();
      await ctx.deps.db.tx((m) => decideApproval(m, ctx.deps.config, staff, params.id, body, now));
      return ctx.deps.db.read(async (m) => staffDetail(m, staff, await complaintForStaff(m, staff, params.id), now));
    })
    .add<ReturnVisitBody, never, IdParams>({ method: "post", path: "/complaints/:id/return-visit", summary: "记录回访（电话或消息）及结果", access: ALL_STAFF, params: idParams, body: returnVisitBody, status: 204 }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => recordReturnVisit(m, staffOf(ctx), params.id, body, ctx.deps.clock())),
    )
    .add<{ title: string }, never, IdParams>({ method: "post", path: "/complaints/:id/case", summary: "加入案例库（匿名化：不含姓名、电话、车牌）", access: MANAGERS, params: idParams, body: caseBody, status: 201 }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => addCase(m, staffOf(ctx), params.id, body.title, ctx.deps.clock())),
    )
    .add<never, CaseQuery>({ method: "get", path: "/complaint-cases", summary: "案例库（按类别和关键词检索）", access: ALL_STAFF, query: caseQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => listCases(m, staffOf(ctx), query)),
    );

/** The member's satisfaction survey of a resolved complaint. */
export const complaintSurveyMemberRoutes = () =>
  new ApiRoutes("/api/v1", "投诉").add<SurveyBody, never, IdParams>(
    { method: "post", path: "/complaints/:id/survey", summary: "评价投诉处理（1–5 分、是否解决、意见），仅一次", access: "member", params: idParams, body: surveyBody },
    (ctx, { params, body }) => ctx.deps.db.tx((m) => answerSurvey(m, ctx.deps.config.complaints, memberOf(ctx).id, params.id, body, ctx.deps.clock())),
  );
