import type { EntityManager, SelectQueryBuilder } from "typeorm";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { Complaint } from "./complaints.entity.js";

const notFound = () => new AppError("COMPLAINT_NOT_FOUND", "投诉不存在");

/**
 * What a staff member may see: complaints of their store (all stores when they are not bound to one),
 * never one about themselves (对原接待个人的投诉，原接待员工不得参与); advisors only the ones they took
 * in or own. Everything else is "not found", so the accused cannot even learn that it exists.
 */
export function canStaffSee(staff: StaffPrincipal, c: Pick<Complaint, "storeId" | "accusedStaffId" | "receivedByStaffId" | "ownerStaffId">): boolean {
  if (c.accusedStaffId === staff.id) return false;
  if (staff.storeId !== null && staff.storeId !== c.storeId) return false;
  if (staff.role === "advisor") return c.receivedByStaffId === staff.id || c.ownerStaffId === staff.id;
  return true;
}

/** The same rule as a query filter on alias `c`, for lists, statistics and exports. */
export function whereStaffMaySee<T extends object>(qb: SelectQueryBuilder<T>, staff: StaffPrincipal): SelectQueryBuilder<T> {
  qb.andWhere("(c.accusedStaffId IS NULL OR c.accusedStaffId <> :viewerId)", { viewerId: staff.id });
  if (staff.storeId !== null) qb.andWhere("c.storeId = :viewerStoreId", { viewerStoreId: staff.storeId });
  if (staff.role === "advisor") qb.andWhere("(c.receivedByStaffId = :viewerId OR c.ownerStaffId = :viewerId)");
  return qb;
}

/** A complaint the staff member may see, or COMPLAINT_NOT_FOUND. */
export async function complaintForStaff(m: EntityManager, staff: StaffPrincipal, id: number): Promise<Complaint> {
  const c = await m.findOneBy(Complaint, { id });
  if (!c || !canStaffSee(staff, c)) throw notFound();
  return c;
}

/** The member's own complaint, or COMPLAINT_NOT_FOUND (another member's looks the same as none). */
export async function complaintForMember(m: EntityManager, memberId: number, id: number): Promise<Complaint> {
  const c = await m.findOneBy(Complaint, { id, memberId });
  if (!c) throw notFound();
  return c;
}

/** Owners act on their complaint; managers and admins of its store may step in. */
export function assertMayAct(staff: StaffPrincipal, c: Pick<Complaint, "ownerStaffId">): void {
  if (c.ownerStaffId === staff.id || staff.role === "manager" || staff.role === "admin") return;
  throw new AppError("COMPLAINT_NOT_OWNER", "只有当前处理人或门店经理可以执行此操作（首问负责）", { ownerStaffId: c.ownerStaffId });
}
