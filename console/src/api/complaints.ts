import { get, newIdempotencyKey, post, requestBlobUrl, uploadFile } from "./request.js";
import type { BodyOf, Page, QueryOf } from "./types.js";

export type ComplaintQuery = QueryOf<"/api/v1/staff/complaints", "get">;
export type ReplyBody = BodyOf<"/api/v1/staff/complaints/{id}/replies", "post">;
export type NoteBody = BodyOf<"/api/v1/staff/complaints/{id}/notes", "post">;
export type HandoverBody = BodyOf<"/api/v1/staff/complaints/{id}/handover", "post">;
export type ResolveBody = BodyOf<"/api/v1/staff/complaints/{id}/resolve", "post">;
export type ApprovalBody = BodyOf<"/api/v1/staff/complaints/{id}/approval", "post">;
export type EscalationReport = BodyOf<"/api/v1/staff/complaints/{id}/escalation", "post">;
export type ReturnVisitBody = BodyOf<"/api/v1/staff/complaints/{id}/return-visit", "post">;
export type CaseBody = BodyOf<"/api/v1/staff/complaints/{id}/case", "post">;
export type IntakeBody = BodyOf<"/api/v1/staff/complaints", "post">;
export type Investigation = NonNullable<ResolveBody["investigation"]>;
export type SlaState = NonNullable<ComplaintQuery["slaState"]>;
/** the tag colour of each SLA state, on 投诉工作台 and in the member archive */
export const SLA_THEMES = { on_track: "success", warning: "warning", breached: "danger", paused: "default", met: "primary" } as const satisfies Record<SlaState, string>;

interface Person {
  id: number;
  name: string;
  signature?: string;
}
interface Deadline {
  dueAt: string;
  doneAt: string | null;
  state: SlaState;
}

export interface Complaint {
  id: number;
  number: string;
  storeId: number;
  channelName: string;
  categoryName: string;
  content: string;
  demandName: string;
  complainant: { name: string | null; phone: string | null; carModel: string | null; plate: string | null };
  owner: Person | null;
  severity: "normal" | "major";
  severityName: string;
  majorReasons: string[];
  status: string;
  statusName: string;
  receivedAt: string;
  sla: { state: SlaState; stateName: string; firstResponse: Deadline; resolution: Deadline; escalation?: Deadline | null; pausedSince: string | null };
  compensation: Record<string, unknown> | null;
  approval: { status: "none" | "pending" | "approved" | "rejected" };
}

export interface ComplaintMessage {
  id: number;
  authorType: "member" | "staff" | "system";
  author: Person | null;
  internal: boolean;
  body: string;
  createdAt: string;
  photoIds: number[];
}

export interface ComplaintDetail extends Complaint {
  messages: ComplaintMessage[];
  photoIds: number[];
  events: ComplaintEvent[];
  reports: { escalation?: EscalationReport & Filed; investigation?: Investigation & Filed };
  returnVisit: ReturnVisit | null;
}

interface Filed {
  by: Person | null;
  at: string;
}
export interface ComplaintEvent {
  id: number;
  type: string;
  fromStatus: string | null;
  toStatus: string | null;
  actorType: "member" | "staff" | "system";
  actor: Person | null;
  detail: Record<string, unknown> | null;
  at: string;
}
export interface ReturnVisit {
  status: "pending" | "done";
  method: "call" | "message" | null;
  outcome: ReturnVisitBody["outcome"] | null;
  note: string | null;
  by: Person | null;
  at: string | null;
}

export interface PendingApproval {
  investigation: Investigation;
  reply: string;
  compensation: ResolveBody["compensation"];
  value: string;
  requestedByName: string;
  approverRole: string;
  mayApprove: boolean;
}

export const fetchComplaints = (query: ComplaintQuery) => get<Page<Complaint>>("/staff/complaints", query);
export const fetchComplaint = (id: number, quiet = false) => get<ComplaintDetail>(`/staff/complaints/${id}`, undefined, quiet);
/** Takes the given complaint (or the oldest one) from the queue. */
export const takeFromQueue = (complaintId?: number) => post<Complaint>("/staff/complaint-queue/take", complaintId ? { complaintId } : {});
export const replyToCustomer = (id: number, body: ReplyBody) => post<{ messageId: number }>(`/staff/complaints/${id}/replies`, body);
export const addNote = (id: number, body: NoteBody) => post<{ messageId: number }>(`/staff/complaints/${id}/notes`, body);
export const handOver = (id: number, body: HandoverBody) => post<Complaint>(`/staff/complaints/${id}/handover`, body);
/** Resolves, or files for approval when the compensation exceeds the caller's limit. */
export const resolveComplaint = (id: number, body: ResolveBody) =>
  post<{ outcome: "resolved" | "pending_approval"; complaint: Complaint }>(`/staff/complaints/${id}/resolve`, body, { quiet: true });
export const fetchApproval = (id: number) => get<PendingApproval>(`/staff/complaints/${id}/approval`, undefined, true);
export const decideApproval = (id: number, body: ApprovalBody) => post<Complaint>(`/staff/complaints/${id}/approval`, body);
export const fetchPhotoUrl = (id: number, photoId: number) => requestBlobUrl(`/staff/complaints/${id}/photos/${photoId}`);

export interface Colleague {
  id: number;
  name: string;
  role: string;
  roleName: string;
  storeId: number | null;
}
/** Who a complaint of the store can be handed to. */
export const fetchColleagues = (storeId: number) => get<Colleague[]>("/staff/colleagues", { storeId });

export interface CompensationOptions {
  memberCanReceive: boolean;
  /** fen the signed-in role grants without approval */
  limitFen: number;
  fenPerPoint: number;
  templates: { id: number; name: string; kind: string; valueFen: number; withinLimit: boolean }[];
}
export const fetchCompensationOptions = (id: number) => get<CompensationOptions>(`/staff/complaints/${id}/compensation-options`);

/** Files the major complaint's escalation report (managers and admins). */
export const fileEscalation = (id: number, body: EscalationReport) => post<void>(`/staff/complaints/${id}/escalation`, body, { quiet: true });
export const recordReturnVisit = (id: number, body: ReturnVisitBody) => post<void>(`/staff/complaints/${id}/return-visit`, body, { quiet: true });
/** Adds a resolved complaint to the case library, anonymised by the server. */
export const addToCaseLibrary = (id: number, body: CaseBody) => post<unknown>(`/staff/complaints/${id}/case`, body, { quiet: true });

/** Files a phone, walk-in or hotline complaint; one Idempotency-Key per submit, so a retried request files it once. */
export const fileStaffComplaint = (body: IntakeBody, key = newIdempotencyKey()) =>
  post<ComplaintDetail>("/staff/complaints", body, { quiet: true, headers: { "Idempotency-Key": key } });

/** photos one complaint or one reply may carry (server/complaints/photo-links.ts PHOTOS_PER_MESSAGE) */
export const PHOTOS_PER_MESSAGE = 3;
export interface UploadedPhoto {
  id: number;
  contentType: string;
  bytes: number;
}
/** Uploads one photo; its id is then sent as photoIds with an intake or a reply. */
export const uploadComplaintPhoto = (file: File) => uploadFile<UploadedPhoto>("/staff/complaint-photos", file);
