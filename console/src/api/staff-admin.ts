// Staff accounts for admins (server/staff/staff.routes.ts: list, create, disable/enable, reset password).
import { get, post } from "./request.js";
import type { StaffRole } from "./session.js";
import type { BodyOf } from "./types.js";

export type CreateStaffBody = BodyOf<"/api/v1/staff/accounts", "post">;
export type ResetPasswordBody = BodyOf<"/api/v1/staff/accounts/{id}/password", "post">;

export interface StaffAccount {
  id: number;
  username: string;
  name: string;
  role: StaffRole;
  storeId: number | null;
  disabled: boolean;
}

export const fetchStaffAccounts = () => get<StaffAccount[]>("/staff/accounts");
export const createStaffAccount = (body: CreateStaffBody) => post<StaffAccount>("/staff/accounts", body, { quiet: true });
/** Disables or enables an account (not one's own). */
export const setStaffDisabled = (id: number, disabled: boolean) => post<StaffAccount>(`/staff/accounts/${id}/${disabled ? "disable" : "enable"}`);
/** A new password ends the account's sessions and lifts a lock-out. */
export const resetStaffPassword = (id: number, body: ResetPasswordBody) => post<unknown>(`/staff/accounts/${id}/password`, body, { quiet: true });
