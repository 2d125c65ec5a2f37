import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freeSlots } from "../../../server/bookings/slots.service.js";
import { dayKind, shanghaiInstant } from "../../../server/stores/calendar.js";
import { StoreClosure } from "../../../server/stores/stores.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe("the holiday calendar", () => {
  it("knows statutory holidays, make-up working days and ordinary days", () => {
    expect(dayKind("2026-10-01")).toBe("holiday");
    expect(dayKind("2026-10-07")).toBe("holiday");
    expect(dayKind("2026-10-10")).toBe("makeup_workday");
    expect(dayKind("2026-09-20")).toBe("makeup_workday");
    expect(dayKind("2026-11-23")).toBe("normal");
    expect(dayKind("2026-11-22")).toBe("normal");
  });

  it("turns Shanghai wall-clock time into UTC", () => {
    expect(shanghaiInstant("2026-11-23", "08:30").toISOString()).toBe("2026-11-23T00:30:00.000Z");
    expect(shanghaiInstant("2026-11-23", "00:00").toISOString()).toBe("2026-11-22T16:00:00.000Z");
  });
});

describe.each(DATABASE_KINDS)("free slots on %s", (kind) => {
  let s: TestApp;
  const NOW = new Date("2026-11-20T00:00:00Z");
  beforeAll(async () => {
    s = await startTestApp(kind);
  });
  afterAll(() => s.close());

  const slots = (storeId: number, date: string, serviceIds: number[], now = NOW) => s.t.db.read((m) => freeSlots(m, s.config, storeId, date, serviceIds, now));
  const starts = (result: Awaited<ReturnType<typeof slots>>) => result.slots.map((x) => x.start);

  it("offers every half hour from opening until the visit still ends by closing, in UTC", async () => {
    const result = await slots(1, "2026-11-23", [1]); // 保养 60 min, Monday 08:30–18:00 Shanghai
    expect(result).toMatchObject({ durationMinutes: 60, bayKind: "lift", closedReason: null });
    expect(result.slots[0]).toEqual({ start: "2026-11-23T00:30:00.000Z", end: "2026-11-23T01:30:00.000Z", available: 3 });
    expect(starts(result).at(-1)).toBe("2026-11-23T09:00:00.000Z"); // 17:00 in Shanghai
    expect(result.slots).toHaveLength(18);
  });

  it("adds up several services of one visit and rounds to half hours", async () => {
    const result = await slots(1, "2026-11-23", [1, 3, 4]); // 保养 60 + 检测 30 + 上门取送车 (no bay time)
    expect(result).toMatchObject({ durationMinutes: 90, bayKind: "lift" });
    expect(starts(result).at(-1)).toBe("2026-11-23T08:30:00.000Z"); // 16:30 + 90 min = 18:00
    const inspection = await slots(1, "2026-11-23", [3]);
    expect(inspection).toMatchObject({ durationMinutes: 30, bayKind: "inspection" });
    expect(inspection.slots[0].available).toBe(1);
  });

  it("keeps the minimum notice of 2 hours", async () => {
    const now = new Date("2026-11-23T00:10:00Z"); // 08:10 in Shanghai
    expect(starts(await slots(1, "2026-11-23", [1], now))[0]).toBe("2026-11-23T02:30:00.000Z"); // 10:30 ≥ 10:10
  });

  it("is closed on Sundays for store 1, open on a make-up Sunday, closed on a holiday unless the store opens then", async () => {
    expect(await slots(1, "2026-11-22", [1])).toMatchObject({ closedReason: "门店当天不营业", slots: [] });
    const september = new Date("2026-09-15T00:00:00Z");
    const makeup = await slots(1, "2026-09-20", [1], september);
    expect(makeup.closedReason).toBeNull();
    expect(makeup.slots[0].start).toBe("2026-09-20T00:30:00.000Z"); // Monday's hours
    expect(await slots(1, "2026-10-01", [1], september)).toMatchObject({ closedReason: "法定节假日门店休息", slots: [] });
    expect((await slots(2, "2026-10-01", [1], september)).slots[0].start).toBe("2026-10-01T01:00:00.000Z"); // store 2 opens at 09:00
  });

  it("honours a store's own closure day", async () => {
    await s.t.db.tx((m) => m.insert(StoreClosure, { storeId: 2, date: "2026-11-25", reason: "年度盘点" }));
    expect(await slots(2, "2026-11-25", [1])).toMatchObject({ closedReason: "门店休息：年度盘点", slots: [] });
  });

  it("refuses dates outside today … 30 days and unknown services", async () => {
    await expect(slots(1, "2026-12-21", [1])).rejects.toMatchObject({ code: "BOOKING_OUT_OF_HORIZON" });
    await expect(slots(1, "2026-11-19", [1])).rejects.toMatchObject({ code: "BOOKING_OUT_OF_HORIZON" });
    await expect(slots(1, "2026-11-23", [999])).rejects.toMatchObject({ code: "SERVICE_UNKNOWN" });
    await expect(slots(1, "2026-11-23", [4])).rejects.toMatchObject({ code: "BOOKING_NEEDS_BAY_SERVICE" });
  });
});
