import type { StaffRole } from "../staff/staff.entity.js";

/** Roles that see members' phone numbers in full; everyone else sees 138****1234. */
const FULL_PHONE_ROLES: readonly StaffRole[] = ["manager", "admin"];

export function maskPhone(phone: string | null): string | null {
  if (phone === null) return null;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : "****";
}

/** The phone number as this staff role may see it. */
export function phoneForRole(phone: string | null, role: StaffRole): string | null {
  return FULL_PHONE_ROLES.includes(role) ? phone : maskPhone(phone);
}
