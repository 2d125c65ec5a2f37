import { staffOf } from "../http/auth.js";
import { idParams, type IdParams } from "../http/common.schema.js";
import { ApiRoutes } from "../http/routes.js";
import { listAccessLogViewers, listAccessLogsFor } from "./access-logs.service.js";
import {
  accessLogQuery,
  archiveQuery,
  searchMembersQuery,
  staffPhoneBody,
  type AccessLogQuery,
  type ArchiveQuery,
  type SearchMembersQuery,
  type StaffPhoneBody,
} from "./archive.schema.js";
import { changePhoneByStaff, readMemberArchive, searchMembers } from "./archive.service.js";


export const archiveRoutes = () =>
  new ApiRoutes("/api/v1/staff", "会员档案（员工）")
    .add<never, SearchMembersQuery>(
      { method: "get", path: "/members", summary: "查找会员（手机号按角色脱敏）", access: ["advisor", "agent", "manager", "admin"], query: searchMembersQuery },
      (ctx, { query }) => ctx.deps.db.read((m) => searchMembers(m, staffOf(ctx), query)),
    )
    .add<never, ArchiveQuery, IdParams>(
      { method: "get", path: "/members/:id/archive", summary: "查阅会员完整档案（记录查阅登记）", access: ["advisor", "agent", "manager", "admin"], params: idParams, query: archiveQuery },
      (ctx, { params, query }) => ctx.deps.db.tx((m) => readMemberArchive(m, staffOf(ctx), params.id, query.reason, ctx.deps.clock())),
    )
    .add<StaffPhoneBody, never, IdParams>(
      { method: "put", path: "/members/:id/phone", summary: "核实身份后修改会员手机号", access: ["advisor", "manager", "admin"], params: idParams, body: staffPhoneBody },
      (ctx, { params, body }) => ctx.deps.db.tx((m) => changePhoneByStaff(m, staffOf(ctx), params.id, body.phone, body.identityNote)),
    )
    .add<never, AccessLogQuery>(
      { method: "get", path: "/access-logs", summary: "查阅登记列表（按会员 ID、会员码或手机号，查阅人，时间）", access: ["manager", "admin"], query: accessLogQuery },
      (ctx, { query }) => ctx.deps.db.read((m) => listAccessLogsFor(m, staffOf(ctx), query)),
    )
    .add({ method: "get", path: "/access-log-viewers", summary: "查阅登记中出现的查阅人（供筛选）", access: ["manager", "admin"] }, (ctx) =>
      ctx.deps.db.read((m) => listAccessLogViewers(m, staffOf(ctx))),
    );
