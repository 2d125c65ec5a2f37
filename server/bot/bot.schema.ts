import { CATEGORY_CODES, DEMANDS, type Category, type Demand } from "../complaints/categories.js";

const contactId = { type: "string", minLength: 1, maxLength: 128 } as const;
const text = (max: number) => ({ type: "string", minLength: 1, maxLength: max, pattern: "\\S" }) as const;
const withContact = <P extends Record<string, object>>(properties: P, required: string[] = []) =>
  ({ type: "object", additionalProperties: false, required: ["contactId", ...required], properties: { contactId, ...properties } }) as const;

export interface ContactBody {
  contactId: string;
}

export const contactBody = withContact({});
export const heartbeatBody = { type: "object", additionalProperties: false, required: ["loggedIn"], properties: { loggedIn: { type: "boolean" }, userName: { type: "string", maxLength: 64 } } } as const;
export const bindBody = withContact({ code: { type: "string", pattern: "^[0-9]{6}$" } }, ["code"]);
export const dialogBody = withContact({ state: { type: ["object", "null"] } }, ["state"]);
// requestId: the dialog's id, so a bot that dies before it clears the dialog and confirms again files once
export const fileComplaintBody = withContact({ category: { type: "string", enum: CATEGORY_CODES }, content: text(2000), demand: { type: "string", enum: Object.keys(DEMANDS) }, requestId: { type: "string", pattern: "^[A-Za-z0-9_:.-]{8,100}$" } }, ["category", "content", "demand"]);
export const surveyBody = withContact({ complaintId: { type: "integer", minimum: 1 }, rating: { type: "integer", minimum: 1, maximum: 5 }, solved: { type: "boolean" }, comment: { type: "string", maxLength: 500 } }, ["complaintId", "rating", "solved"]);
export const openHandoffBody = withContact({ text: { type: "string", maxLength: 2000 }, complaintId: { type: "integer", minimum: 1 } });
export const chatBody = withContact({ text: text(2000) }, ["text"]);

export const handoffListQuery = { type: "object", additionalProperties: false, properties: { status: { enum: ["open", "closed"], default: "open" } } } as const;
export const staffReplyBody = { type: "object", additionalProperties: false, required: ["body"], properties: { body: text(2000) } } as const;

export interface HeartbeatBody {
  loggedIn: boolean;
  userName?: string;
}
export interface BindBody extends ContactBody {
  code: string;
}
export interface DialogBody extends ContactBody {
  state: object | null;
}
export interface FileComplaintBody extends ContactBody {
  category: Category;
  content: string;
  demand: Demand;
  requestId?: string;
}
export interface SurveyBody extends ContactBody {
  complaintId: number;
  rating: number;
  solved: boolean;
  comment?: string;
}
export interface OpenHandoffBody extends ContactBody {
  text?: string;
  complaintId?: number;
}
export interface ChatBody extends ContactBody {
  text: string;
}
