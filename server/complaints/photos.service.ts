import { IsNull, type EntityManager } from "typeorm";
import type { Database } from "../db/database.js";
import { execute, insertRow } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { complaintForMember, complaintForStaff } from "./access.js";
import { ComplaintMessage, ComplaintPhoto } from "./complaints.entity.js";
import { newPhotoKey, type PhotoStore } from "./photo-store.js";

export type Uploader = { type: "member" | "staff"; id: number };

/** photos an uploader may hold that are not yet attached to a complaint or a message */
export const MAX_UNATTACHED = 10;
/** an unattached photo older than this is abandoned: it no longer counts and is removed at its uploader's next upload */
export const UNATTACHED_TTL_MS = 24 * 3_600_000;
/** bytes that decide every accepted type */
export const SNIFF_BYTES = 12;

const startsWith = (head: Buffer, bytes: number[], at = 0) => head.length >= at + bytes.length && bytes.every((b, i) => head[at + i] === b);
const ascii = (text: string) => [...text].map((ch) => ch.charCodeAt(0));

/**
 * The image type the bytes are, by their signature (never the file's name or declared type), or null.
 * JPEG, PNG, WebP and GIF: what phones, WeChat and every browser of the staff console show. HEIC is
 * refused because browsers cannot display it (wx.chooseMedia hands the mini-program JPEG anyway); SVG
 * and anything else never, so no uploaded file can run as a page.
 */
export function photoTypeOf(head: Buffer): string | null {
  if (startsWith(head, [0xff, 0xd8, 0xff])) return "image/jpeg";
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return "image/png";
  if (startsWith(head, ascii("RIFF")) && startsWith(head, ascii("WEBP"), 8)) return "image/webp";
  if (startsWith(head, ascii("GIF87a")) || startsWith(head, ascii("GIF89a"))) return "image/gif";
  return null;
}

export const unsupportedType = () => new AppError("PHOTO_TYPE_UNSUPPORTED", "仅支持 JPEG、PNG、WebP 或 GIF 格式的照片", { accepted: ["image/jpeg", "image/png", "image/webp", "image/gif"] });

/**
 * Records an uploaded photo's row, unattached, in the caller's transaction. The uploader's abandoned
 * unattached photos (older than UNATTACHED_TTL_MS) are removed first; their storage keys are returned
 * so the bytes go once the transaction commits. More than MAX_UNATTACHED fresh ones: PHOTO_LIMIT_REACHED.
 */
export async function recordPhoto(m: EntityManager, uploader: Uploader, photo: { storageKey: string; contentType: string; bytes: number }, now: Date) {
  const held = await m.find(ComplaintPhoto, { where: { complaintId: IsNull(), uploaderType: uploader.type, uploaderId: uploader.id }, select: { id: true, storageKey: true, createdAt: true } });
  const cutoff = now.getTime() - UNATTACHED_TTL_MS;
  const removedKeys: string[] = [];
  let fresh = 0;
  for (const p of held) {
    // guarded: a photo attached meanwhile by a parallel request stays
    if (p.createdAt.getTime() < cutoff && (await execute(m, "DELETE FROM complaint_photo WHERE id = ? AND complaintId IS NULL", [p.id])) === 1) removedKeys.push(p.storageKey);
    else fresh++;
  }
  if (fresh >= MAX_UNATTACHED) {
    throw new AppError("PHOTO_LIMIT_REACHED", `已上传但未使用的照片过多（最多 ${MAX_UNATTACHED} 张），请先提交投诉或回复，或 24 小时后再试`, { maxUnattached: MAX_UNATTACHED });
  }
  const id = await insertRow(m, "complaint_photo", { complaintId: null, messageId: null, uploaderType: uploader.type, uploaderId: uploader.id, ...photo, createdAt: now });
  return { id, removedKeys };
}

/**
 * Keeps an uploaded photo: checks its type by content, writes the bytes under a fresh random key,
 * then records the row. A refused row takes its bytes with it; abandoned photos' bytes go after commit.
 */
export async function savePhoto(db: Database, store: PhotoStore, uploader: Uploader, bytes: Buffer, now: Date) {
  const contentType = photoTypeOf(bytes.subarray(0, SNIFF_BYTES));
  if (!contentType) throw unsupportedType();
  const storageKey = newPhotoKey();
  await store.put(storageKey, bytes);
  let saved: Awaited<ReturnType<typeof recordPhoto>>;
  try {
    saved = await db.tx((m) => recordPhoto(m, uploader, { storageKey, contentType, bytes: bytes.length }, now));
  } catch (err) {
    await store.delete(storageKey).catch(() => undefined);
    throw err;
  }
  await Promise.all(saved.removedKeys.map((key) => store.delete(key).catch(() => undefined)));
  return { id: saved.id, contentType, bytes: bytes.length };
}

const photoNotFound = (photoId: number) => new AppError("NOT_FOUND", "照片不存在", { photoId });

/** A photo attached to the member's own complaint (never one of a staff-only note), or COMPLAINT_NOT_FOUND / NOT_FOUND. */
export async function photoForMember(m: EntityManager, memberId: number, complaintId: number, photoId: number): Promise<ComplaintPhoto> {
  const c = await complaintForMember(m, memberId, complaintId);
  const photo = await m.findOneBy(ComplaintPhoto, { id: photoId, complaintId: c.id });
  if (!photo) throw photoNotFound(photoId);
  if (photo.messageId !== null && !(await m.existsBy(ComplaintMessage, { id: photo.messageId, internal: false }))) throw photoNotFound(photoId);
  return photo;
}

/** A photo of a complaint the staff member may see (complaintForStaff: never the accused), or COMPLAINT_NOT_FOUND / NOT_FOUND. */
export async function photoForStaff(m: EntityManager, staff: StaffPrincipal, complaintId: number, photoId: number): Promise<ComplaintPhoto> {
  const c = await complaintForStaff(m, staff, complaintId);
  const photo = await m.findOneBy(ComplaintPhoto, { id: photoId, complaintId: c.id });
  if (!photo) throw photoNotFound(photoId);
  return photo;
}

/** The photo's bytes, or NOT_FOUND when the store no longer has them. */
export async function photoBytes(store: PhotoStore, photo: ComplaintPhoto): Promise<Buffer> {
  const bytes = await store.get(photo.storageKey);
  if (!bytes) throw photoNotFound(photo.id);
  return bytes;
}
