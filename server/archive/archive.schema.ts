import { pagingFields, type Paging } from "../http/common.schema.js";
import { PHONE_PATTERN } from "../members/members.schema.js";

export const searchMembersQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    phone: { type: "string", pattern: PHONE_PATTERN },
    memberCode: { type: "string", pattern: "^[0-9A-Za-z]{6,16}$" },
    plate: { type: "string", minLength: 2, maxLength: 16 },
    ...pagingFields,
  },
} as const;
export interface SearchMembersQuery extends Paging {
  phone?: string;
  memberCode?: string;
  plate?: string;
}

export const archiveQuery = {
  type: "object",
  additionalProperties: false,
  required: ["reason"],
  properties: { reason: { type: "string", minLength: 2, maxLength: 200 } },
} as const;
export interface ArchiveQuery {
  /** why the archive is opened (查阅事由), kept in the access log */
  reason: string;
}

export const staffPhoneBody = {
  type: "object",
  additionalProperties: false,
  required: ["phone", "identityNote"],
  properties: {
    phone: { type: "string", pattern: PHONE_PATTERN },
    identityNote: { type: "string", minLength: 4, maxLength: 200 },
  },
} as const;
export interface StaffPhoneBody {
  phone: string;
  /** how the member's identity was checked, e.g. 核对身份证及行驶证 */
  identityNote: string;
}

export const accessLogQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    memberId: { type: "integer", minimum: 1 },
    memberCode: { type: "string", pattern: "^[0-9A-Za-z]{6,16}$" },
    memberPhone: { type: "string", pattern: PHONE_PATTERN },
    staffId: { type: "integer", minimum: 1 },
    from: { type: "string", format: "date-time" },
    to: { type: "string", format: "date-time" },
    ...pagingFields,
  },
} as const;
export interface AccessLogQuery extends Paging {
  memberId?: number;
  /** the member by their code or phone: the server finds the member (with memberId too, both must name the same one) */
  memberCode?: string;
  memberPhone?: string;
  staffId?: number;
  from?: string;
  to?: string;
}
