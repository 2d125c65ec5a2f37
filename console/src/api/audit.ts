// The access log 查阅登记 (server/archive/archive.routes.ts GET /staff/access-logs) and the audit log
// 操作日志 (server/audit/audit.routes.ts GET /staff/audit-logs, admins only).
import { get } from "./request.js";
import type { StaffRole } from "./session.js";
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

export const fetchAccessLogs = (query: AccessLogQuery) => get<Page<AccessLogEntry>>("/staff/access-logs", query, true);

export interface AccessLogViewer {
  id: number;
  name: string;
  username: string;
  role: StaffRole;
  storeId: number | null;
  disabled: boolean;
}
/** Everyone in the access log the signed-in manager may read, for the 查阅人 filter. */
export const fetchAccessLogViewers = () => get<AccessLogViewer[]>("/staff/access-log-viewers");

export type AuditLogQuery = QueryOf<"/api/v1/staff/audit-logs", "get">;

export interface AuditLogEntry {
  id: number;
  at: string;
  actorType: "staff" | "member" | "system";
  actorId: number | null;
  actorName: string | null;
  action: string;
  targetType: string;
  targetId: number;
  detail: Record<string, unknown>;
}

/** The audit log (admins): who changed what, newest first. */
export const fetchAuditLogs = (query: AuditLogQuery) => get<Page<AuditLogEntry>>("/staff/audit-logs", query);

/** What each audited action is called on the page; an unknown one shows its code. */
export const ACTION_NAMES: Record<string, string> = {
  "staff.created": "创建员工账号", "staff.disabled": "停用员工账号", "staff.enabled": "启用员工账号", "staff.password.changed": "修改自己的密码", "staff.password.reset": "重置员工密码",
  "member.phone.verified": "会员验证手机号", "member.phone.changed_by_staff": "员工修改会员手机号", "points.adjusted": "人工调整积分", "coupon.voided": "作废优惠券",
  "coupon_template.created": "创建优惠券模板", "coupon_template.updated": "修改优惠券模板", "coupon_template.deleted": "删除优惠券模板", "coupon_template.paused": "停用优惠券模板", "coupon_template.active": "启用优惠券模板", "store.created": "开设门店", "store.updated": "修改门店信息", "store.hours.set": "设置营业时间", "store.closure.added": "设置休息日",
  "store.closure.removed": "取消休息日", "store.bay.added": "新增工位", "store.technician.added": "新增技师", "loyalty.tier.updated": "修改会员等级",
  "loyalty.benefit.set": "设置等级权益", "loyalty.category.set": "设置消费积分倍率", "loyalty.rule.set": "设置行为积分",
};
