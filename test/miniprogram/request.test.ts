import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startMiniprogram } from "../helpers/miniprogram.js";
import { createCouponTemplate } from "./fixtures.js";

/** A 1×1 PNG, as wx.chooseMedia would leave in a temp file. */
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64");

describe.each(DATABASE_KINDS)("the request layer (services/request.ts, subscribe.ts) against the real server on %s", (kind) => {
  let mp: Awaited<ReturnType<typeof startMiniprogram>>;
  const dir = mkdtempSync(join(tmpdir(), "mp-files-"));
  beforeAll(async () => {
    mp = await startMiniprogram(kind);
  }, 60_000);
  afterAll(() => mp.close());

  it("uploads a file as multipart field `file` with the token, and shows the server's message for a refused one", async () => {
    const { upload } = mp.services("request");
    writeFileSync(join(dir, "photo.png"), PNG);
    const photo = await upload("/api/v1/complaints/photos", join(dir, "photo.png"));
    expect(photo.id).toBeGreaterThan(0);
    const sent = mp.wx.requests.at(-1)!;
    expect(sent.method).toBe("UPLOAD");
    expect(sent.header.Authorization).toMatch(/^Bearer /);

    writeFileSync(join(dir, "note.txt"), "不是照片");
    const refused = await upload("/api/v1/complaints/photos", join(dir, "note.txt")).catch((err: unknown) => err);
    expect(refused).toMatchObject({ status: 415 });
    expect(mp.wx.toasts.at(-1)).toBe((refused as { message: string }).message);
    expect((refused as { message: string }).message).toMatch(/[\u4e00-\u9fa5]/);
  });

  it("gives each new action its own Idempotency-Key: two claims one after the other issue two coupons", async () => {
    const id = await createCouponTemplate(mp.api, { name: "双次洗车券", kind: "service", serviceName: "洗车", totalStock: 10, perMemberLimit: 2, channel: "claim", validDays: 7 });
    const { claimCoupon } = mp.services("coupons");
    const first = await claimCoupon(id);
    const second = await claimCoupon(id);
    expect(second.id).not.toBe(first.id);
    const keys = mp.wx.requests.filter((r) => r.url.endsWith(`/templates/${id}/claim`)).map((r) => r.header["Idempotency-Key"]);
    expect(keys).toHaveLength(2);
    expect(keys[0]).not.toBe(keys[1]);
    const third = await claimCoupon(id).catch((err: unknown) => err);
    expect(third).toMatchObject({ status: 409 });
    expect(mp.wx.toasts.at(-1)).toBe((third as { message: string }).message);
  });

  it("reports nothing when the member dismisses the consent dialog, and only accepted kinds count", async () => {
    const { askSubscribe } = mp.services("subscribe");
    const reports = () => mp.wx.requests.filter((r) => r.method === "POST" && r.url.endsWith("/me/subscriptions")).length;
    mp.wx.subscribeAnswer = () => "reject";
    expect(await askSubscribe(["booking_reminder", "maintenance_due"])).toEqual([]);
    expect(reports()).toBe(1); // the refusals are reported too: the server counts only accepts
    mp.wx.subscribeAnswer = (id) => (id === "tmpl-maintenance-due" ? "accept" : "ban");
    expect(await askSubscribe(["booking_reminder", "maintenance_due", "no_such_kind"])).toEqual(["maintenance_due"]);
    expect(mp.wx.subscribeAsks.at(-1)).toEqual(["tmpl-booking-reminder", "tmpl-maintenance-due"]);
    const left = (await mp.services("subscribe").fetchSubscriptions()).templates;
    expect(left.find((t: { kind: string }) => t.kind === "maintenance_due").remaining).toBe(1);
    expect(left.find((t: { kind: string }) => t.kind === "booking_reminder").remaining).toBe(0);
    mp.wx.subscribeAnswer = () => "accept";
  });
});
