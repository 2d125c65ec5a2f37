import { memberOf } from "../http/auth.js";
import { idParams, type IdParams, type Paging } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { idempotencyKeyOf } from "../idempotency/idempotency.service.js";
import { complaintForMember } from "./access.js";
import { memberComplaintBody, memberListQuery, threadBody, type MemberComplaintBody, type ThreadBody } from "./complaints.schema.js";
import { fileMemberComplaint } from "./intake.service.js";
import { listForMember } from "./list.service.js";
import { replyAsMember } from "./thread.service.js";
import { memberDetail } from "./views.js";

/** Members' side of complaints: file one, follow it, answer in its thread. */
export const complaintMemberRoutes = () =>
  new ApiRoutes("/api/v1", "投诉")
    .add<MemberComplaintBody>({ method: "post", path: "/complaints", summary: "提交投诉与建议（姓名、电话、车型、车牌取自会员档案）", access: "member", body: memberComplaintBody, status: 201 }, async (ctx, { body }) => {
      const { config, clock } = ctx.deps;
      const now = clock();
      const c = await fileMemberComplaint(ctx.deps.db, config.complaints, memberOf(ctx).id, body, now, "miniprogram", idempotencyKeyOf(ctx.get("Idempotency-Key")));
      return ctx.deps.db.read((m) => memberDetail(m, c, config.complaints.surveyDays, now));
    })
    .add<never, Paging>({ method: "get", path: "/me/complaints", summary: "我的投诉", access: "member", query: memberListQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => listForMember(m, memberOf(ctx).id, query.page, query.pageSize, ctx.deps.config.complaints.surveyDays, ctx.deps.clock())),
    )
    .add<never, never, IdParams>({ method: "get", path: "/complaints/:id", summary: "投诉详情与对话", access: "member", params: idParams }, (ctx, { params }) =>
      ctx.deps.db.read(async (m) => memberDetail(m, await complaintForMember(m, memberOf(ctx).id, params.id), ctx.deps.config.complaints.surveyDays, ctx.deps.clock())),
    )
    .add<ThreadBody, never, IdParams>({ method: "post", path: "/complaints/:id/replies", summary: "回复客服（可附照片）", access: "member", params: idParams, body: threadBody, status: 201 }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => replyAsMember(m, ctx.deps.config.complaints, memberOf(ctx).id, params.id, body, ctx.deps.clock())),
    );
