import busboy from "busboy";
import type { Context } from "koa";
import { AppError } from "../http/app-error.js";
import { memberOf, staffOf } from "../http/auth.js";
import { ApiRoutes } from "../http/routes.js";
import type { ComplaintPhoto } from "./complaints.entity.js";
import { photoStoreOf } from "./photo-store.js";
import { SNIFF_BYTES, photoBytes, photoForMember, photoForStaff, photoTypeOf, savePhoto, unsupportedType, type Uploader } from "./photos.service.js";

const ALL_STAFF = ["advisor", "agent", "manager", "admin"] as const;
/** room for the multipart boundaries, part headers and a few small form fields around the file */
const ENVELOPE_BYTES = 64 * 1024;

const photoParams = {
  type: "object",
  additionalProperties: false,
  required: ["id", "photoId"],
  properties: { id: { type: "integer", minimum: 1 }, photoId: { type: "integer", minimum: 1 } },
} as const;
type PhotoParams = { id: number; photoId: number };

const invalid = (message: string, details?: unknown) => new AppError("PHOTO_INVALID", message, details);
const tooLarge = (maxBytes: number) => new AppError("PHOTO_TOO_LARGE", `照片不能超过 ${Math.floor(maxBytes / 1024)} KB`, { maxBytes });

/**
 * Reads the one file of a multipart/form-data request (field `file`, as wx.uploadFile sends it),
 * holding at most maxBytes: a bigger file, or a type that is no image by its first bytes, stops the
 * read at once and the rest of the request is drained unread.
 */
function readUploadedFile(ctx: Context, maxBytes: number): Promise<Buffer> {
  if (!ctx.is("multipart/form-data")) throw invalid("请以 multipart/form-data 上传照片，文件字段名为 file", { expected: "multipart/form-data", field: "file" });
  const encoding = ctx.get("Content-Encoding").toLowerCase();
  if (encoding && encoding !== "identity") throw new AppError("BODY_ENCODING_UNSUPPORTED", "上传照片时请不要压缩请求体（Content-Encoding）");
  if (Number(ctx.get("Content-Length")) > maxBytes + ENVELOPE_BYTES) throw tooLarge(maxBytes);
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: ctx.req.headers, limits: { files: 1, fileSize: maxBytes, fields: 20, fieldSize: 4096, parts: 21, headerPairs: 50 } });
  } catch {
    throw invalid("上传请求格式不正确（缺少 multipart boundary）");
  }
  return new Promise<Buffer>((resolve, reject) => {
    let settled = false;
    let file: Buffer | null = null;
    const fail = (err: AppError) => {
      if (settled) return;
      settled = true;
      ctx.req.unpipe(parser);
      ctx.req.resume(); // drain what the client still sends, keeping none of it
      reject(err);
    };
    parser.on("file", (name, stream) => {
      if (name !== "file") {
        stream.resume();
        return fail(invalid("文件字段名应为 file", { field: name }));
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let sniffed = false;
      stream.on("data", (chunk: Buffer) => {
        if (settled) return;
        chunks.push(chunk);
        size += chunk.length;
        if (!sniffed && size >= SNIFF_BYTES) {
          sniffed = true;
          if (!photoTypeOf(Buffer.concat(chunks).subarray(0, SNIFF_BYTES))) fail(unsupportedType());
        }
      });
      stream.on("limit", () => fail(tooLarge(maxBytes)));
      stream.on("end", () => {
        if (!settled) file = Buffer.concat(chunks, size);
      });
    });
    parser.on("filesLimit", () => fail(invalid("每次只能上传一张照片")));
    parser.on("fieldsLimit", () => fail(invalid("表单字段过多")));
    parser.on("partsLimit", () => fail(invalid("表单字段过多")));
    parser.on("error", () => fail(invalid("上传数据不完整，请重试")));
    parser.on("close", () => {
      if (settled) return;
      if (!file) return fail(invalid("没有收到照片：请在字段 file 中上传一张图片", { field: "file" }));
      if (file.length === 0) return fail(invalid("照片为空"));
      settled = true;
      resolve(file);
    });
    ctx.req.on("aborted", () => fail(invalid("上传已中断")));
    ctx.req.on("error", () => fail(invalid("上传已中断")));
    ctx.req.pipe(parser);
  });
}

async function upload(ctx: Context, uploader: Uploader) {
  const { config, db, clock } = ctx.deps;
  const bytes = await readUploadedFile(ctx, config.complaints.photoMaxBytes);
  return savePhoto(db, photoStoreOf(config.complaints), uploader, bytes, clock());
}

/** Streams a stored photo with its recorded type; browsers must neither sniff it nor keep it in shared caches. */
async function send(ctx: Context, photo: ComplaintPhoto): Promise<Buffer> {
  const bytes = await photoBytes(photoStoreOf(ctx.deps.config.complaints), photo);
  ctx.type = photo.contentType;
  ctx.set("Cache-Control", "private");
  ctx.set("X-Content-Type-Options", "nosniff");
  ctx.set("Content-Disposition", "inline");
  return bytes;
}

/** Complaint photos: upload (multipart, one image a request, attached later by photoIds) and reading back for who may see the complaint. */
export const complaintPhotoRoutes = () =>
  new ApiRoutes("/api/v1", "投诉照片")
    .add({ method: "post", path: "/complaints/photos", summary: "上传投诉照片（multipart/form-data，字段 file；提交投诉或回复时用 photoIds 附上）", access: "member", status: 201 }, (ctx) =>
      upload(ctx, { type: "member", id: memberOf(ctx).id }),
    )
    .add<never, never, PhotoParams>({ method: "get", path: "/complaints/:id/photos/:photoId", summary: "查看我的投诉中的照片", access: "member", params: photoParams }, async (ctx, { params }) =>
      send(ctx, await ctx.deps.db.read((m) => photoForMember(m, memberOf(ctx).id, params.id, params.photoId))),
    )
    .add({ method: "post", path: "/staff/complaint-photos", summary: "员工上传投诉照片（multipart/form-data，字段 file）", access: ALL_STAFF, status: 201 }, (ctx) =>
      upload(ctx, { type: "staff", id: staffOf(ctx).id }),
    )
    .add<never, never, PhotoParams>({ method: "get", path: "/staff/complaints/:id/photos/:photoId", summary: "查看投诉照片（可查看该投诉的员工）", access: ALL_STAFF, params: photoParams }, async (ctx, { params }) =>
      send(ctx, await ctx.deps.db.read((m) => photoForStaff(m, staffOf(ctx), params.id, params.photoId))),
    );
