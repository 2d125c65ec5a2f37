import { PHONE_PATTERN } from "../members/members.schema.js";
import { pagingFields, type Paging } from "../http/common.schema.js";
import { CATEGORY_CODES, CHANNELS, DEMANDS, SEVERITIES, STATUSES, TEAMS, type Category, type ComplaintChannel, type ComplaintStatus, type Demand, type Severity, type Team } from "./categories.js";
import { PHOTOS_PER_MESSAGE } from "./photo-links.js";
import type { SlaState } from "./views.js";

const id = { type: "integer", minimum: 1 } as const;
const text = (max: number) => ({ type: "string", minLength: 1, maxLength: max, pattern: "\\S" }) as const;
// a few more than PHOTOS_PER_MESSAGE pass validation so attachPhotos can answer PHOTO_LIMIT_REACHED (each message carries at most 3)
const photoIds = { type: "array", items: id, maxItems: PHOTOS_PER_MESSAGE + 7, uniqueItems: true } as const;

const complaintFields = {
  category: { type: "string", enum: CATEGORY_CODES },
  content: text(2000),
  demand: { type: "string", enum: Object.keys(DEMANDS) },
  assetId: id,
  bookingId: id,
  storeId: id,
  staffId: id,
  photoIds,
} as const;

export const memberComplaintBody = { type: "object", additionalProperties: false, required: ["category", "content", "demand"], properties: complaintFields } as const;
/** What a complaint says, from a member or staff intake. */
export interface MemberComplaintBody {
  category: Category;
  content: string;
  demand: Demand;
  assetId?: number;
  bookingId?: number;
  storeId?: number;
  /** the staff member complained about */
  staffId?: number;
  photoIds?: number[];
}

export const staffComplaintBody = {
  type: "object",
  additionalProperties: false,
  required: ["channel", "category", "content", "demand"],
  properties: {
    ...complaintFields,
    channel: { type: "string", enum: ["phone", "walk_in", "hotline"] },
    memberCode: { type: "string", pattern: "^[A-Za-z0-9]{6,16}$" },
    memberPhone: { type: "string", pattern: PHONE_PATTERN },
    callerName: text(32),
    callerPhone: { type: "string", pattern: "^[0-9+-]{5,20}$" },
    carModel: text(64),
    plate: { type: "string", minLength: 2, maxLength: 16 },
    majorReason: text(100),
  },
} as const;

export const threadBody = { type: "object", additionalProperties: false, required: ["body"], properties: { body: text(2000), photoIds } } as const;
export interface ThreadBody {
  body: string;
  photoIds?: number[];
}
export const staffReplyBody = { type: "object", additionalProperties: false, required: ["body"], properties: { body: text(2000), photoIds, waitForCustomer: { type: "boolean" } } } as const;
export interface StaffReplyBody extends ThreadBody {
  waitForCustomer?: boolean;
}
export const noteBody = { type: "object", additionalProperties: false, required: ["body"], properties: { body: text(2000) } } as const;

export const handOverBody = { type: "object", additionalProperties: false, required: ["toStaffId"], properties: { toStaffId: id, note: text(500) } } as const;
export interface HandOverBody {
  toStaffId: number;
  note?: string;
}

export const dutyBody = { type: "object", additionalProperties: false, required: ["onDuty"], properties: { onDuty: { type: "boolean" }, team: { type: "string", enum: Object.keys(TEAMS) } } } as const;
export interface DutyBody {
  onDuty: boolean;
  team?: Team;
}

export const takeBody = { type: "object", additionalProperties: false, properties: { complaintId: id } } as const;
export const majorBody = { type: "object", additionalProperties: false, required: ["reason"], properties: { reason: text(100) } } as const;
export const escalationBody = { type: "object", additionalProperties: false, required: ["summary", "risk", "plan"], properties: { summary: text(1000), risk: text(1000), plan: text(1000) } } as const;

export const staffComplaintQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    ...pagingFields,
    status: { type: "string", enum: Object.keys(STATUSES) },
    storeId: id,
    team: { type: "string", enum: Object.keys(TEAMS) },
    category: { type: "string", enum: CATEGORY_CODES },
    severity: { type: "string", enum: Object.keys(SEVERITIES) },
    channel: { type: "string", enum: Object.keys(CHANNELS) },
    owner: { type: "string", enum: ["me", "none"] },
    ownerStaffId: id,
    slaState: { type: "string", enum: ["on_track", "warning", "breached", "paused", "met"] },
    returnVisit: { type: "string", enum: ["pending", "done"] },
    approval: { type: "string", enum: ["none", "pending", "approved", "rejected"] },
    from: { type: "string", format: "date-time" },
    to: { type: "string", format: "date-time" },
  },
} as const;
export interface StaffComplaintQuery extends Paging {
  status?: ComplaintStatus;
  storeId?: number;
  team?: Team;
  category?: Category;
  severity?: Severity;
  channel?: ComplaintChannel;
  owner?: "me" | "none";
  ownerStaffId?: number;
  slaState?: SlaState;
  returnVisit?: "pending" | "done";
  approval?: "none" | "pending" | "approved" | "rejected";
  from?: string;
  to?: string;
}

export const memberListQuery = { type: "object", additionalProperties: false, properties: { ...pagingFields } } as const;
