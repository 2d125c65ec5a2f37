// The access log 查阅登记 (server/archive/archive.routes.ts GET /staff/access-logs). The server has no
// route for the audit log (server/audit/ records it but does not list it).
import { get } from "./request.js";
import type { Page, QueryOf } from "./types.js";

export type AccessLogQuery = QueryOf<"/api/v1/staff/access-logs", "get">;

export interface AccessLogEntry {
  id: number;
  staffId: number;
  staffUsername: string;
  staffName: string;
  memberId: number;
  memberNickname: string | null;
  storeId: number;
  reason: string;
  createdAt: string;
}

export const fetchAccessLogs = (query: AccessLogQuery) => get<Page<AccessLogEntry>>("/staff/access-logs", query);
