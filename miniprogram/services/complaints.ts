import type { Page } from "../utils/list";
import { apiUrl, currentToken, ensureLogin, request, upload, type ApiFailure } from "./request";

/** The server's closed lists (server/complaints/categories.ts), in the order the member picks from them. */
export const CATEGORIES = [
  { code: "service_attitude", name: "服务态度" },
  { code: "repair_quality", name: "维修质量" },
  { code: "parts", name: "配件质量" },
  { code: "price", name: "收费价格" },
  { code: "waiting_time", name: "等待时间" },
  { code: "booking", name: "预约服务" },
  { code: "other", name: "其他" },
];
export const DEMANDS = [
  { code: "explanation", name: "给予解释" },
  { code: "apology", name: "赔礼道歉" },
  { code: "repair", name: "返修处理" },
  { code: "refund", name: "退还费用" },
  { code: "compensation", name: "经济补偿" },
  { code: "return_exchange", name: "退车或换车" },
  { code: "other", name: "其他" },
];
/** the server accepts at most this many photos per message */
export const PHOTOS_PER_MESSAGE = 3;

export interface NewComplaint {
  category: string;
  content: string;
  demand: string;
  assetId?: number;
  bookingId?: number;
  photoIds?: number[];
}

export interface Survey {
  open: boolean;
  answered: boolean;
  rating: number | null;
  solved: boolean | null;
  comment: string | null;
}

export interface ComplaintSummary {
  id: number;
  number: string;
  status: string;
  statusText: string;
  categoryName: string;
  content: string;
  demandName: string;
  plate: string | null;
  createdAt: string;
  resolution: { reply: string | null; resolvedAt: string; compensation: { type: string; points: number | null; couponId: number | null } | null } | null;
  survey: Survey;
}

export interface ComplaintMessage {
  id: number;
  from: "member" | "staff";
  /** "我", or "客服 0012": staff never by name */
  author: string;
  body: string;
  createdAt: string;
  photoIds: number[];
}

export interface ComplaintDetail extends ComplaintSummary {
  messages: ComplaintMessage[];
  photoIds: number[];
}

export function fileComplaint(body: NewComplaint, action: string): Promise<ComplaintDetail> {
  return request<ComplaintDetail>("/api/v1/complaints", { method: "POST", data: body, action });
}

/** Uploads one chosen photo; its id is attached later with photoIds. */
export function uploadComplaintPhoto(filePath: string): Promise<{ id: number }> {
  return upload<{ id: number }>("/api/v1/complaints/photos", filePath);
}

export function fetchMyComplaints(page: number, pageSize: number): Promise<Page<ComplaintSummary>> {
  return request<Page<ComplaintSummary>>("/api/v1/me/complaints", { data: { page, pageSize } });
}

export function fetchComplaint(id: number): Promise<ComplaintDetail> {
  return request<ComplaintDetail>(`/api/v1/complaints/${id}`, { toast: false });
}

export function replyToComplaint(id: number, body: string, photoIds: number[], action: string): Promise<{ messageId: number }> {
  return request(`/api/v1/complaints/${id}/replies`, { method: "POST", data: { body, ...(photoIds.length ? { photoIds } : {}) }, action });
}

export function answerSurvey(id: number, answer: { rating: number; solved: boolean; comment?: string }): Promise<ComplaintSummary> {
  return request<ComplaintSummary>(`/api/v1/complaints/${id}/survey`, { method: "POST", data: answer, action: `survey:${id}` });
}

/**
 * A complaint photo as a local temp file: the API wants the Authorization header, which an <image src> cannot send,
 * so it is downloaded with the token and the page shows the file.
 */
export async function downloadComplaintPhoto(complaintId: number, photoId: number): Promise<string> {
  await ensureLogin();
  return new Promise<string>((resolve, reject) =>
    wx.downloadFile({
      url: apiUrl(`/api/v1/complaints/${complaintId}/photos/${photoId}`),
      header: { Authorization: `Bearer ${currentToken()}` },
      success: (res) => (res.statusCode === 200 ? resolve(res.tempFilePath) : reject({ status: res.statusCode, code: "PHOTO", message: "照片加载失败" } as ApiFailure)),
      fail: () => reject({ status: 0, code: "NETWORK", message: "照片加载失败" } as ApiFailure),
    }),
  );
}

/** What the complaint can be about: the member's cars and recent bookings. */
export async function fetchComplaintSubjects(): Promise<{ cars: { id: number; plate: string; model: string }[]; bookings: { id: number; bookingNo: string; plate: string | null; start: string; services: { name: string | null }[] }[] }> {
  const [cars, bookings] = await Promise.all([
    request<{ id: number; plate: string; model: string }[]>("/api/v1/me/assets"),
    request<Page<{ id: number; bookingNo: string; plate: string | null; start: string; services: { name: string | null }[] }>>("/api/v1/me/bookings", { data: { page: 1, pageSize: 20 } }),
  ]);
  return { cars, bookings: bookings.items };
}
