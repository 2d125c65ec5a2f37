import type { EntityManager } from "typeorm";
import { execute } from "../db/sql.js";
import { AppError } from "../http/app-error.js";

/** photos one complaint or one message may carry */
export const PHOTOS_PER_MESSAGE = 3;

/**
 * Attaches the uploader's own unattached photos to a complaint (and a message of its thread). A photo
 * of someone else, one already attached or one that does not exist refuses the whole request.
 */
export async function attachPhotos(m: EntityManager, photoIds: number[], uploader: { type: "member" | "staff"; id: number }, complaintId: number, messageId: number | null): Promise<void> {
  const ids = [...new Set(photoIds)];
  if (ids.length > PHOTOS_PER_MESSAGE) throw new AppError("PHOTO_LIMIT_REACHED", `每次最多上传 ${PHOTOS_PER_MESSAGE} 张照片`, { max: PHOTOS_PER_MESSAGE });
  const attached = await execute(
    m,
    `UPDATE complaint_photo SET complaintId = ?, messageId = ? WHERE id IN (${ids.map(() => "?").join(", ")}) AND uploaderType = ? AND uploaderId = ? AND complaintId IS NULL`,
    [complaintId, messageId, ...ids, uploader.type, uploader.id],
  );
  if (attached !== ids.length) throw new AppError("PHOTO_INVALID", "照片不存在、不属于您或已被使用，请重新上传", { photoIds: ids });
}
