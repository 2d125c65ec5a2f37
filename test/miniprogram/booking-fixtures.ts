import { Booking } from "../../server/bookings/bookings.entity.js";
import { at, nextOpenDate } from "../helpers/booking.js";
import type { TestApp } from "../helpers/app.js";
import { tap, until, type startMiniprogram } from "../helpers/miniprogram.js";

/** The first plain working day after `date` (both seeded stores open). */
export const openDayAfter = (date: string) => nextOpenDate(1, new Date(`${date}T04:00:00Z`));

/** The seeded service type id of a code (maintenance, inspection …). */
export async function serviceId(api: TestApp, code: string): Promise<number> {
  return (await api.http.get("/api/v1/service-types")).body.find((s: { code: string }) => s.code === code).id;
}

let keys = 0;
/** A booking made through the API (the member's first car unless given). */
export async function bookThroughApi(api: TestApp, auth: string, body: { storeId?: number; services: string[]; date: string; time: string; assetId?: number }) {
  const assetId = body.assetId ?? (await api.http.get("/api/v1/me/assets").set("authorization", auth)).body[0].id;
  const serviceIds = await Promise.all(body.services.map((code) => serviceId(api, code)));
  const res = await api.http
    .post("/api/v1/bookings")
    .set("authorization", auth)
    .set("Idempotency-Key", `mp-test-${process.pid}-${++keys}`)
    .send({ storeId: body.storeId ?? 1, serviceIds, assetId, start: at(body.date, body.time) });
  if (res.status !== 201) throw new Error(`booking: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; bookingNo: string; start: string };
}

/** Moves a booking's start to `minutes` from now, inside the change cutoff (as if the day had come). */
export async function moveStartTo(api: TestApp, bookingId: number, minutes: number) {
  const start = new Date(Math.ceil((Date.now() + minutes * 60_000) / 1_800_000) * 1_800_000);
  await api.t.db.tx((m) => m.update(Booking, { id: bookingId }, { start, end: new Date(start.getTime() + 3_600_000) }));
}

/** Picks a day, then a time, in the page's <slot-picker id="slots">, once its days have loaded. */
export async function pickSlot(comp: any, date: string, time: string) {
  await until(() => comp.querySelector("#slots"), "the picker");
  const picker = comp.querySelector("#slots");
  await until(() => picker.data.days.length && !picker.data.loading, "the days");
  tap(picker, `#day-${date}`);
  await until(() => picker.data.date === date, `the day ${date}`);
  tap(picker, `#time-${time.replace(":", "")}`);
  return picker;
}

/** Types into a TDesign <t-input id="…">. */
export function typeInto(comp: any, id: string, value: string) {
  comp.querySelector(`#${id}`).querySelector(".t-input__control").dispatchEvent("input", { detail: { value, cursor: value.length } });
}

/** Page helpers on a started mini-program: render a page and wait for its first load; the navigation a tap makes. */
export function pageTools(mp: () => Awaited<ReturnType<typeof startMiniprogram>>) {
  return {
    async render(page: string, query?: Record<string, string>) {
      const comp = mp().render(page, query);
      await until(() => !(comp.data.loading ?? comp.data.list?.loading), page);
      return comp;
    },
    /** handlers are async: waits for the navigation `act` leads to */
    async navigation(act: () => void) {
      const before = mp().wx.navigations.length;
      act();
      await until(() => mp().wx.navigations.length > before, "a navigation");
      return mp().wx.navigations.at(-1)!;
    },
  };
}
