import type { Gender } from "./members.entity.js";

export const PHONE_PATTERN = "^1[3-9][0-9]{9}$";

export const wechatLoginBody = {
  type: "object",
  additionalProperties: false,
  required: ["code"],
  properties: {
    code: { type: "string", minLength: 1, maxLength: 128 },
    storeId: { type: "integer", minimum: 1 },
  },
} as const;
export interface WechatLoginBody {
  code: string;
  storeId?: number;
}

export const devLoginBody = {
  type: "object",
  additionalProperties: false,
  required: ["openid"],
  properties: {
    openid: { type: "string", pattern: "^[A-Za-z0-9_-]{4,64}$" },
    nickname: { type: "string", minLength: 1, maxLength: 32 },
    storeId: { type: "integer", minimum: 1 },
  },
} as const;
export interface DevLoginBody {
  openid: string;
  nickname?: string;
  storeId?: number;
}

export const updateMeBody = {
  type: "object",
  additionalProperties: false,
  minProperties: 1,
  properties: {
    nickname: { type: "string", minLength: 1, maxLength: 32 },
    birthday: { type: "string", format: "date" },
    gender: { type: "string", enum: ["male", "female", "unknown"] },
    storeId: { type: "integer", minimum: 1 },
  },
} as const;
export interface UpdateMeBody {
  nickname?: string;
  birthday?: string;
  gender?: Gender;
  storeId?: number;
}

export const phoneCodeBody = {
  type: "object",
  additionalProperties: false,
  required: ["code"],
  properties: { code: { type: "string", minLength: 1, maxLength: 128 } },
} as const;
export interface PhoneCodeBody {
  code: string;
}
