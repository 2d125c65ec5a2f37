import { STAFF_ROLES, type StaffRole } from "./staff.entity.js";

export const staffLoginBody = {
  type: "object",
  additionalProperties: false,
  required: ["username", "password"],
  properties: {
    username: { type: "string", minLength: 1, maxLength: 32 },
    password: { type: "string", minLength: 1, maxLength: 72 },
  },
} as const;
export interface StaffLoginBody {
  username: string;
  password: string;
}

// at least one letter and one digit; bcrypt reads at most 72 bytes
const newPassword = { type: "string", minLength: 8, maxLength: 72, pattern: "^(?=.*[A-Za-z])(?=.*[0-9]).+$" } as const;

export const changePasswordBody = {
  type: "object",
  additionalProperties: false,
  required: ["currentPassword", "newPassword"],
  properties: { currentPassword: { type: "string", minLength: 1, maxLength: 72 }, newPassword },
} as const;
export interface ChangePasswordBody {
  currentPassword: string;
  newPassword: string;
}

export const resetPasswordBody = {
  type: "object",
  additionalProperties: false,
  required: ["newPassword"],
  properties: { newPassword },
} as const;

export const createStaffBody = {
  type: "object",
  additionalProperties: false,
  required: ["username", "password", "name", "role"],
  properties: {
    username: { type: "string", pattern: "^[a-z][a-z0-9_.]{2,31}$" },
    password: newPassword,
    name: { type: "string", minLength: 1, maxLength: 32 },
    role: { type: "string", enum: [...STAFF_ROLES] },
    storeId: { type: ["integer", "null"], minimum: 1 },
  },
} as const;
export interface CreateStaffBody {
  username: string;
  password: string;
  name: string;
  role: StaffRole;
  storeId?: number | null;
}

