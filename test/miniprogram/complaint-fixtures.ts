import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { deflateSync } from "node:zlib";
import type { TestApp } from "../helpers/app.js";
import { agentOnDuty, fileAsMember } from "../helpers/complaints.js";

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, Buffer.from(type, "ascii"), data, Buffer.alloc(4)]); // the server sniffs the type, not the CRC
}

/** A real 1×1 greyscale PNG; a different grey gives different bytes. */
export function png(grey = 128): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", deflateSync(Buffer.from([0, grey]))), chunk("IEND", Buffer.alloc(0))]);
}

/** A photo in the phone's album: a temp file, as wx.chooseMedia hands over. */
export function albumPhoto(grey = 128, name = "IMG_0001.png"): string {
  const path = join(mkdtempSync(join(tmpdir(), "album-")), name);
  writeFileSync(path, png(grey));
  return path;
}

/** The agent who owns the complaint (the on-duty one, or whoever takes it from the queue). */
export async function ownerAgent(api: TestApp, agent: { auth: string; id: number }, complaintId: number) {
  const view = (await api.http.get(`/api/v1/staff/complaints/${complaintId}`).set("Authorization", agent.auth)).body;
  if (view.owner?.id !== agent.id) await api.http.post("/api/v1/staff/complaint-queue/take").set("Authorization", agent.auth).send({ complaintId }).expect(200);
  return agent;
}

/** A staff reply in the thread, optionally with a photo uploaded by staff. */
export async function staffReply(api: TestApp, auth: string, complaintId: number, body: string, photo?: Buffer) {
  const photoIds: number[] = [];
  if (photo) {
    const up = await api.http.post("/api/v1/staff/complaint-photos").set("Authorization", auth).attach("file", photo, { filename: "staff.png", contentType: "image/png" });
    if (up.status !== 201) throw new Error(`staff photo: ${up.status} ${JSON.stringify(up.body)}`);
    photoIds.push(up.body.id);
  }
  await api.http.post(`/api/v1/staff/complaints/${complaintId}/replies`).set("Authorization", auth).send({ body, ...(photoIds.length ? { photoIds } : {}) }).expect(201);
  return photoIds;
}

export const investigation = {
  cause: "洗车工未按流程检查车内物品",
  course: "客户取车时发现后座有水渍，前台未及时处理",
  responsible: "洗车组",
  conclusion: "投诉属实",
  corrective: "免费清洁内饰并当面致歉",
  preventive: "交车前增加内饰检查一项",
};

/** Resolves the complaint as its owner, with an investigation report and a reply to the customer. */
export async function resolveAs(api: TestApp, auth: string, complaintId: number, reply: string, compensation?: Record<string, unknown>) {
  const res = await api.http.post(`/api/v1/staff/complaints/${complaintId}/resolve`).set("Authorization", auth).send({ investigation, reply, ...(compensation ? { compensation } : {}) });
  if (res.status !== 200) throw new Error(`resolve: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Books the member's car into the first free slot from the day after tomorrow (China time), as the booking page would. */
export async function bookFirstFreeSlot(api: TestApp, auth: string, assetId: number, storeId: number) {
  for (let day = 2; day < 14; day++) {
    const date = new Date(Date.now() + 8 * 3600_000 + day * 86_400_000).toISOString().slice(0, 10);
    const { slots } = (await api.http.get(`/api/v1/slots?storeId=${storeId}&date=${date}&serviceIds=1`).expect(200)).body as { slots: { start: string }[] };
    if (!slots.length) continue;
    const res = await api.http.post("/api/v1/bookings").set("Authorization", auth).set("Idempotency-Key", `cmp-test-${process.pid}-${Date.now()}`).send({ storeId, serviceIds: [1], assetId, start: slots[0].start });
    if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: number; bookingNo: string };
  }
  throw new Error("no free slot in two weeks");
}

/** Types into a TDesign textarea as the keyboard would. */
export function typeInto(comp: { querySelector(s: string): any }, selector: string, value: string) {
  comp.querySelector(selector).querySelector(".t-textarea__wrapper-inner").dispatchEvent("input", { detail: { value, cursor: value.length } });
}

export { agentOnDuty, fileAsMember };
