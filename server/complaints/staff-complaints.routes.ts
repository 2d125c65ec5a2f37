import { staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { idempotencyKeyOf } from "../idempotency/idempotency.service.js";
import { complaintForStaff } from "./access.js";
import {
  dutyBody, escalationBody, handOverBody, majorBody, noteBody, staffComplaintBody, staffComplaintQuery, staffReplyBody, takeBody,
  type DutyBody, type HandOverBody, type StaffComplaintQuery, type StaffReplyBody,
} from "./complaints.schema.js";
import { fileStaffComplaint, type StaffIntakeInput } from "./intake.service.js";
import { listForStaff } from "./list.service.js";
import { dutyOf, handOver, setDuty, takeFromQueue } from "./routing.service.js";
import { fileEscalation, flagMajor, type EscalationReport } from "./severity.service.js";
import { addNote, replyAsStaff } from "./thread.service.js";
import { staffDetail } from "./views.js";

const ALL_STAFF = ["advisor", "agent", "manager", "admin"] as const;
const AGENTS = ["agent", "manager"] as const;
const MANAGERS = ["manager", "admin"] as const;

/** Staff's side of complaints: intake, the queue and duty, the thread, hand-over, major flags and escalation reports. */
export const complaintStaffRoutes = () =>
  new ApiRoutes("/api/v1/staff", "投诉处理")
    .add<StaffIntakeInput>({ method: "post", path: "/complaints", summary: "登记电话、到店或集团热线投诉（会员或非会员）", access: ALL_STAFF, body: staffComplaintBody, status: 201 }, async (ctx, { body }) => {
      const staff = staffOf(ctx);
      const now = ctx.deps.clock();
      const c = await fileStaffComplaint(ctx.deps.db, ctx.deps.config.complaints, staff, body, now, idempotencyKeyOf(ctx.get("Idempotency-Key")));
      return ctx.deps.db.read(async (m) => staffDetail(m, staff, await complaintForStaff(m, staff, c.id), now));
    })
    .add<never, StaffComplaintQuery>({ method: "get", path: "/complaints", summary: "投诉列表（按状态、门店、组、处理人、类别、级别、时限状态筛选）", access: ALL_STAFF, query: staffComplaintQuery }, (ctx, { query }) =>
      ctx.deps.db.read((m) => listForStaff(m, staffOf(ctx), query, ctx.deps.clock())),
    )
    .add<never, never, IdParams>({ method: "get", path: "/complaints/:id", summary: "投诉详情：对话、内部备注、处理记录、照片、报告", access: ALL_STAFF, params: idParams }, (ctx, { params }) =>
      ctx.deps.db.read(async (m) => staffDetail(m, staffOf(ctx), await complaintForStaff(m, staffOf(ctx), params.id), ctx.deps.clock())),
    )
    .add<{ complaintId?: number }>({ method: "post", path: "/complaint-queue/take", summary: "从队列认领投诉（指定或最早的一条）", access: AGENTS, body: takeBody }, async (ctx, { body }) => {
      const staff = staffOf(ctx);
      const now = ctx.deps.clock();
      const c = await ctx.deps.db.tx((m) => takeFromQueue(m, staff, now, body.complaintId));
      return ctx.deps.db.read((m) => staffDetail(m, staff, c, now));
    })
    .add({ method: "get", path: "/complaint-duty", summary: "我的值班状态", access: AGENTS }, (ctx) => ctx.deps.db.read((m) => dutyOf(m, staffOf(ctx).id)))
    .add<DutyBody>({ method: "put", path: "/complaint-duty", summary: "上班/下班（接收新投诉）与所属组", access: AGENTS, body: dutyBody }, (ctx, { body }) =>
      ctx.deps.db.tx((m) => setDuty(m, staffOf(ctx), body, ctx.deps.clock())),
    )
    .add<HandOverBody, never, IdParams>({ method: "post", path: "/complaints/:id/handover", summary: "转交给其他员工（保留处理记录）", access: ALL_STAFF, params: idParams, body: handOverBody, status: 204 }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => handOver(m, staffOf(ctx), params.id, body, ctx.deps.clock())),
    )
    .add<StaffReplyBody, never, IdParams>({ method: "post", path: "/complaints/:id/replies", summary: "答复客户（可设为等待客户回复）", access: ALL_STAFF, params: idParams, body: staffReplyBody, status: 201 }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => replyAsStaff(m, ctx.deps.config.complaints, staffOf(ctx), params.id, body, ctx.deps.clock())),
    )
    .add<{ body: string }, never, IdParams>({ method: "post", path: "/complaints/:id/notes", summary: "内部备注（客户不可见）", access: ALL_STAFF, params: idParams, body: noteBody, status: 201 }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => addNote(m, staffOf(ctx), params.id, body.body, ctx.deps.clock())),
    )
    .add<{ reason: string }, never, IdParams>({ method: "post", path: "/complaints/:id/major", summary: "标记为重大投诉", access: ALL_STAFF, params: idParams, body: majorBody, status: 204 }, async (ctx, { params, body }) => {
      await ctx.deps.db.tx((m) => flagMajor(m, ctx.deps.config.complaints, staffOf(ctx), params.id, body.reason, ctx.deps.clock()));
    })
    .add<EscalationReport, never, IdParams>({ method: "post", path: "/complaints/:id/escalation", summary: "提交重大投诉预警报备（概况、风险、处理方案）", access: MANAGERS, params: idParams, body: escalationBody, status: 204 }, (ctx, { params, body }) =>
      ctx.deps.db.tx((m) => fileEscalation(m, staffOf(ctx), params.id, body, ctx.deps.clock())),
    );
