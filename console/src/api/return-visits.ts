// Complaint return visits for 回访与电话任务 (server/complaints/resolution.routes.ts).
import type { Complaint } from "./complaints.js";
import { get, post } from "./request.js";
import type { BodyOf, Page } from "./types.js";

export type ReturnVisitBody = BodyOf<"/api/v1/staff/complaints/{id}/return-visit", "post">;

/** Resolved complaints whose return visit is still to be made, paged on the server. */
export const fetchPendingReturnVisits = (page: number, pageSize: number) => get<Page<Complaint>>("/staff/complaints", { returnVisit: "pending", page, pageSize }, true);
export const recordReturnVisit = (id: number, body: ReturnVisitBody) => post<void>(`/staff/complaints/${id}/return-visit`, body);
