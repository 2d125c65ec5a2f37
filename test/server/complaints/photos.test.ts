import { once } from "node:events";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import type { Response } from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { agentOnDuty, complaintBody, fileAsMember, staffView } from "../../helpers/complaints.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

const MAX_BYTES = 64 * 1024;
const HOUR = 3_600_000;

function crc32(bytes: Buffer): number {
  let c = ~0;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A real 1×1 PNG of the given grey level (a different level, different bytes). */
function png(grey = 128): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]); // 1×1, 8-bit greyscale
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.from([0, grey]))), chunk("IEND", Buffer.alloc(0))]);
}

/** A tiny 1×1 greyscale JPEG (JFIF header, quantisation table, progressive frame, Huffman table, one scan). */
const JPEG = Buffer.from(
  "/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=",
  "base64",
);

/** supertest parser that keeps the body as raw bytes */
const binary = (res: unknown, done: (err: Error | null, body: Buffer) => void) => {
  const stream = res as NodeJS.ReadableStream;
  const parts: Buffer[] = [];
  stream.on("data", (c: Buffer) => parts.push(c));
  stream.on("end", () => done(null, Buffer.concat(parts)));
};

describe.each(DATABASE_KINDS)("complaint photos on %s", (kind) => {
  let s: TestApp;
  let dir: string;
  const filesIn = async () => (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
  const upload = (auth: string, bytes: Buffer, filename = "photo.jpg", contentType = "image/jpeg", path = "/api/v1/complaints/photos") =>
    s.http.post(path).set("Authorization", auth).attach("file", bytes, { filename, contentType });
  const uploaded = async (auth: string, bytes: Buffer, path?: string) => {
    const res = await upload(auth, bytes, "photo.jpg", "image/jpeg", path);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as number;
  };
  const read = (auth: string, path: string) => s.http.get(path).set("Authorization", auth).buffer(true).parse(binary);
  const expectError = (res: Response, status: number, code: string) => {
    expect(res.status, JSON.stringify(res.body)).toBe(status);
    expect(JSON.parse(res.text)).toMatchObject({ error: { code, message: expect.stringMatching(/[\u4e00-\u9fff]/) } });
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "complaint-photos-"));
    s = await startTestApp(kind, { COMPLAINT_PHOTO_DIR: join(dir, "store"), COMPLAINT_PHOTO_MAX_BYTES: String(MAX_BYTES) });
    s.clock.set("2026-11-24T02:00:00Z");
  });
  afterAll(async () => {
    await s.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("keeps a PNG and a JPEG by their content, attaches them to a complaint and a reply, and serves them only to the member and staff who may see it", async () => {
    const agent = await agentOnDuty(s, 1);
    const accused = await s.loginStaff("advisor", 1);
    const a = await s.loginMember("photo-a", 1);
    const b = await s.loginMember("photo-b", 1);
    const first = await upload(a.auth, png(), "IMG_0001.png", "image/png");
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ id: expect.any(Number), contentType: "image/png", bytes: png().length });
    // the declared name and type say PNG; the bytes say JPEG, and the bytes win
    const second = await upload(a.auth, JPEG, "wrong-name.png", "image/png");
    expect(second.body).toEqual({ id: expect.any(Number), contentType: "image/jpeg", bytes: JPEG.length });

    const filed = await s.http.post("/api/v1/complaints").set("Authorization", a.auth).send(complaintBody({ staffId: accused.id, photoIds: [first.body.id, second.body.id] }));
    expect(filed.status, JSON.stringify(filed.body)).toBe(201);
    const id = filed.body.id as number;
    expect(filed.body.photoIds).toEqual([first.body.id, second.body.id]);
    const replyPhoto = await uploaded(a.auth, png(7));
    const reply = await s.http.post(`/api/v1/complaints/${id}/replies`).set("Authorization", a.auth).send({ body: "补充一张结算单照片", photoIds: [replyPhoto] });
    expect(reply.status, JSON.stringify(reply.body)).toBe(201);

    const mine = await read(a.auth, `/api/v1/complaints/${id}/photos/${first.body.id}`).expect(200);
    expect(Buffer.compare(mine.body, png())).toBe(0);
    expect(mine.headers).toMatchObject({ "content-type": "image/png", "cache-control": "private", "x-content-type-options": "nosniff" });
    const jpeg = await read(a.auth, `/api/v1/complaints/${id}/photos/${second.body.id}`).expect(200);
    expect(Buffer.compare(jpeg.body, JPEG)).toBe(0);
    expect(jpeg.headers["content-type"]).toBe("image/jpeg");
    expect(Buffer.compare((await read(a.auth, `/api/v1/complaints/${id}/photos/${replyPhoto}`).expect(200)).body, png(7))).toBe(0);

    expectError(await s.http.get(`/api/v1/complaints/${id}/photos/${first.body.id}`).set("Authorization", b.auth), 404, "COMPLAINT_NOT_FOUND");
    expectError(await s.http.get(`/api/v1/staff/complaints/${id}/photos/${first.body.id}`).set("Authorization", accused.auth), 404, "COMPLAINT_NOT_FOUND");
    const forAgent = await read(agent.auth, `/api/v1/staff/complaints/${id}/photos/${second.body.id}`).expect(200);
    expect(Buffer.compare(forAgent.body, JPEG)).toBe(0);
    expect(forAgent.headers).toMatchObject({ "content-type": "image/jpeg", "cache-control": "private", "x-content-type-options": "nosniff" });
    const otherStore = await s.loginStaff("agent", 2);
    expectError(await s.http.get(`/api/v1/staff/complaints/${id}/photos/${second.body.id}`).set("Authorization", otherStore.auth), 404, "COMPLAINT_NOT_FOUND");

    const view = await staffView(s, agent.auth, id);
    expect(view.photoIds).toEqual([first.body.id, second.body.id]);
    expect(view.messages.find((x: { authorType: string }) => x.authorType === "member").photoIds).toEqual([replyPhoto]);

    // a photo asked for through another complaint (even the same member's) is not found there
    const other = await fileAsMember(s, a.auth, { content: "第二次来店，洗车没洗干净" });
    expectError(await s.http.get(`/api/v1/complaints/${other.id}/photos/${first.body.id}`).set("Authorization", a.auth), 404, "NOT_FOUND");
    expectError(await s.http.get(`/api/v1/staff/complaints/${other.id}/photos/${first.body.id}`).set("Authorization", agent.auth), 404, "NOT_FOUND");
    expectError(await s.http.get(`/api/v1/complaints/${id}/photos/2147483647`).set("Authorization", a.auth), 404, "NOT_FOUND");

    // staff attach their own uploads to a reply; the member reads them
    const staffPhoto = await uploaded(agent.auth, JPEG, "/api/v1/staff/complaint-photos");
    await s.http.post(`/api/v1/staff/complaints/${id}/replies`).set("Authorization", agent.auth).send({ body: "这是当天的监控截图", photoIds: [staffPhoto] }).expect(201);
    expect(Buffer.compare((await read(a.auth, `/api/v1/complaints/${id}/photos/${staffPhoto}`).expect(200)).body, JPEG)).toBe(0);
  });

  it("refuses a fourth photo on one message, another member's photo and a photo already used, filing nothing", async () => {
    const a = await s.loginMember("photo-c", 1);
    const b = await s.loginMember("photo-d", 1);
    const ids = [await uploaded(a.auth, png(1)), await uploaded(a.auth, png(2)), await uploaded(a.auth, png(3)), await uploaded(a.auth, png(4))];
    const send = (photoIds: number[]) => s.http.post("/api/v1/complaints").set("Authorization", a.auth).send(complaintBody({ photoIds }));
    expectError(await send(ids), 400, "PHOTO_LIMIT_REACHED");
    const theirs = await uploaded(b.auth, JPEG);
    expectError(await send([ids[0], theirs]), 400, "PHOTO_INVALID");
    expect((await s.http.get("/api/v1/me/complaints").set("Authorization", a.auth).expect(200)).body.total).toBe(0);
    const filed = (await send(ids.slice(0, 3)).expect(201)).body;
    expect(filed.photoIds).toEqual(ids.slice(0, 3));
    expectError(await s.http.post(`/api/v1/complaints/${filed.id}/replies`).set("Authorization", a.auth).send({ body: "再发一次", photoIds: [ids[0]] }), 400, "PHOTO_INVALID");
    expectError(await s.http.post(`/api/v1/complaints/${filed.id}/replies`).set("Authorization", a.auth).send({ body: "别人的照片", photoIds: [theirs] }), 400, "PHOTO_INVALID");
    await s.http.post(`/api/v1/complaints/${filed.id}/replies`).set("Authorization", a.auth).send({ body: "第四张", photoIds: [ids[3]] }).expect(201);
  });

  it("checks the type by content and the size while reading, and keeps no bytes of a refused upload", async () => {
    const { auth } = await s.loginMember("photo-e", 1);
    const before = await filesIn();
    expectError(await upload(auth, Buffer.from("这不是图片，只是改了扩展名的文本文件\n"), "photo.jpg", "image/jpeg"), 415, "PHOTO_TYPE_UNSUPPORTED");
    expectError(await upload(auth, Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'), "a.svg", "image/svg+xml"), 415, "PHOTO_TYPE_UNSUPPORTED");
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from("ftypheic"), Buffer.alloc(64)]);
    expectError(await upload(auth, heic, "IMG_0002.HEIC", "image/heic"), 415, "PHOTO_TYPE_UNSUPPORTED");
    const big = Buffer.concat([png(), Buffer.alloc(MAX_BYTES)]);
    expectError(await upload(auth, big, "big.png", "image/png"), 413, "PHOTO_TOO_LARGE");
    // declared far too large: refused before the body is read
    expectError(await upload(auth, Buffer.concat([JPEG, Buffer.alloc(4 * MAX_BYTES)])), 413, "PHOTO_TOO_LARGE");
    expectError(await s.http.post("/api/v1/complaints/photos").set("Authorization", auth).field("note", "没有文件"), 400, "PHOTO_INVALID");
    expectError(await s.http.post("/api/v1/complaints/photos").set("Authorization", auth).attach("image", JPEG, "a.jpg"), 400, "PHOTO_INVALID");
    expectError(await s.http.post("/api/v1/complaints/photos").set("Authorization", auth).attach("file", JPEG, "a.jpg").attach("file", JPEG, "b.jpg"), 400, "PHOTO_INVALID");
    expectError(await s.http.post("/api/v1/complaints/photos").set("Authorization", auth).send({ file: "base64…" }), 400, "PHOTO_INVALID");
    expectError(await s.http.post("/api/v1/complaints/photos").set("Authorization", auth).set("Content-Type", "multipart/form-data").send("--x\r\n"), 400, "PHOTO_INVALID");
    expectError(await upload(auth, Buffer.alloc(0), "empty.jpg"), 400, "PHOTO_INVALID");
    expectError(await s.http.post("/api/v1/complaints/photos").attach("file", JPEG, "a.jpg"), 401, "UNAUTHENTICATED");
    expect(await filesIn()).toEqual(before);
  });

  it("keeps nothing of an upload whose client disconnects halfway, and goes on serving", async () => {
    const { auth } = await s.loginMember("photo-g", 1);
    // koa would print the socket's parse error of the cut-off request to stderr
    s.app.silent = true;
    const server = createServer(s.app.callback()).listen(0, "127.0.0.1");
    await once(server, "listening");
    const before = await filesIn();
    try {
      const req = httpRequest({
        host: "127.0.0.1", port: (server.address() as AddressInfo).port, method: "POST", path: "/api/v1/complaints/photos",
        headers: { authorization: auth, "content-type": "multipart/form-data; boundary=XyZ", "content-length": "50000" },
      });
      req.on("error", () => undefined);
      req.write(`--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`);
      req.write(JPEG);
      await new Promise((resolve) => setTimeout(resolve, 100));
      req.destroy();
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      server.close();
      s.app.silent = false;
    }
    expect(await filesIn()).toEqual(before);
    await uploaded(auth, JPEG);
  });

  it("caps an uploader's unattached photos and removes the ones abandoned for a day", async () => {
    const { auth } = await s.loginMember("photo-f", 1);
    const before = (await filesIn()).length;
    const abandoned: number[] = [];
    for (let i = 0; i < 10; i++) abandoned.push(await uploaded(auth, png(i)));
    expect((await filesIn()).length).toBe(before + 10);
    expectError(await upload(auth, JPEG), 400, "PHOTO_LIMIT_REACHED");
    expect((await filesIn()).length).toBe(before + 10);
    s.clock.advance(25 * HOUR);
    const fresh = await uploaded(auth, JPEG);
    expect((await filesIn()).length).toBe(before + 1);
    expectError(await s.http.post("/api/v1/complaints").set("Authorization", auth).send(complaintBody({ photoIds: [abandoned[0]] })), 400, "PHOTO_INVALID");
    const filed = (await s.http.post("/api/v1/complaints").set("Authorization", auth).send(complaintBody({ photoIds: [fresh] })).expect(201)).body;
    expect(Buffer.compare((await read(auth, `/api/v1/complaints/${filed.id}/photos/${fresh}`).expect(200)).body, JPEG)).toBe(0);
  });
});
