import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, nextOpenDate } from "../helpers/booking.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startMiniprogram, tap, textOf, until } from "../helpers/miniprogram.js";
import { bookThroughApi, pageTools, moveStartTo, openDayAfter, pickSlot, serviceId, typeInto } from "./booking-fixtures.js";
import { memberOf } from "./fixtures.js";

const D1 = nextOpenDate(3);
const D2 = openDayAfter(D1);
const CLOSED = openDayAfter(D2); // store 1 closes for 设备检修
const D4 = openDayAfter(CLOSED);

describe.each(DATABASE_KINDS)("预约 pages on %s", (kind) => {
  let mp: Awaited<ReturnType<typeof startMiniprogram>>;
  let member: Awaited<ReturnType<typeof memberOf>>;
  let carId: number;
  let manager: string;
  const bookingsPosts = () => mp.wx.requests.filter((r) => r.method === "POST" && r.url.endsWith("/api/v1/bookings"));
  const myBookings = async () => (await mp.api.http.get("/api/v1/me/bookings?pageSize=100").set("authorization", member.auth)).body.items as { id: number; start: string; status: string; note: string | null; address: string | null }[];
  const { render, navigation } = pageTools(() => mp);

  beforeAll(async () => {
    mp = await startMiniprogram(kind);
    member = await memberOf(mp.api, "demo-member-1");
    carId = (await mp.api.http.get("/api/v1/me/assets").set("authorization", member.auth)).body[0].id;
    manager = (await mp.api.loginStaff("manager", 1)).auth;
    await mp.api.http.post("/api/v1/staff/stores/1/closures").set("authorization", manager).send({ date: CLOSED, reason: "设备检修" }).expect(201);
    const other = await memberOf(mp.api, "demo-member-2");
    await bookThroughApi(mp.api, other.auth, { services: ["inspection"], date: D1, time: "10:00" }); // store 1 has one inspection bay
  }, 60_000);
  afterAll(() => mp.close());

  it("预约 tab: the way to a new booking, 我的预约 and 我的车辆, and no visit ahead yet", async () => {
    const comp = await render("pages/booking/index");
    const text = textOf(comp);
    console.log(text);
    for (const words of ["预约到店", "我的预约", "查看、改约或取消", "我的车辆", "暂无待到店的预约", "立即预约"]) expect(text).toContain(words);
    expect(await navigation(() => tap(comp, "#book"))).toEqual({ kind: "navigateTo", url: "/pages/bookings/new" });
  });

  it("new booking: store and car pre-picked, closed days greyed with the reason, a full time shown as 已满, confirm disabled until all is chosen", async () => {
    const comp = await render("pages/bookings/new");
    let text = textOf(comp);
    console.log(text);
    expect(comp.data.storeId).toBe(member.storeId);
    expect(comp.querySelector(`#store-${member.storeId}`).data.note).toBe("已选");
    expect(comp.querySelector(`#car-${carId}`).data).toMatchObject({ title: "沪A12345", description: "星途 揽月 2.0T", note: "已选" });
    expect(text).toContain("请先选择门店和服务项目");
    expect(comp.querySelector("#confirm").data.disabled).toBe(true);
    expect(text).toContain("请选择门店、服务项目、车辆和到店时间");

    tap(comp, "#service-inspection");
    const picker = comp.querySelector("#slots");
    await until(() => picker.data.days.length, "the days");
    expect(textOf(picker.querySelector(`#day-${CLOSED}`))).toContain("门店休息：设备检修");
    const sunday = picker.data.days.find((d: { weekday: string }) => d.weekday === "周日");
    expect(textOf(picker.querySelector(`#day-${sunday.date}`))).toContain("门店当天不营业");
    expect(picker.querySelector(`#day-${CLOSED}`).dom.className).toContain("disabled");
    tap(picker, `#day-${CLOSED}`);
    await until(() => picker.data.hint, "the hint");
    expect(textOf(picker)).toContain(`${CLOSED} 门店休息：设备检修，请选择其他日期`);
    expect(picker.data.times).toEqual([]);

    await pickSlot(comp, D1, "10:00");
    text = textOf(picker);
    expect(text).toContain("09:30余 1");
    expect(text).toContain("10:00已满");
    expect(comp.data.start).toBe("");
    expect(comp.querySelector("#confirm").data.disabled).toBe(true);
    tap(picker, "#time-1030");
    await until(() => comp.data.start === at(D1, "10:30"), "the time");
    expect(comp.querySelector("#confirm").data.disabled).toBe(false);
    expect(textOf(comp)).not.toContain("请选择门店、服务项目、车辆和到店时间");
  });

  it("books once on a double tap, asks for 预约提醒 and 保养到期 in the tap and reports the consent", async () => {
    const before = (await myBookings()).length;
    const posts = bookingsPosts().length;
    const comp = await render("pages/bookings/new");
    tap(comp, "#service-maintenance");
    await pickSlot(comp, D1, "10:00");
    typeInto(comp, "note", "空调有异响，请顺便检查");
    await until(() => comp.data.note && comp.data.ready, "ready");
    const opened = await navigation(() => {
      tap(comp, "#confirm");
      tap(comp, "#confirm");
    });
    expect(opened.kind).toBe("redirectTo");
    const mine = await myBookings();
    expect(mine).toHaveLength(before + 1);
    const made = mine.find((b) => b.start === at(D1, "10:00"))!;
    expect(made).toMatchObject({ status: "booked", note: "空调有异响，请顺便检查" });
    expect(opened.url).toBe(`/pages/bookings/detail?id=${made.id}`);
    const sent = bookingsPosts().slice(posts);
    expect(sent.length).toBeGreaterThanOrEqual(1);
    expect(new Set(sent.map((r) => r.header["Idempotency-Key"])).size).toBe(1);
    expect(mp.wx.subscribeAsks.at(-1)).toEqual(["tmpl-booking-reminder", "tmpl-maintenance-due"]);
    expect(mp.wx.requests.some((r) => r.method === "POST" && r.url.endsWith("/api/v1/me/subscriptions"))).toBe(true);
    const left = (await mp.api.http.get("/api/v1/me/subscriptions").set("authorization", member.auth)).body.templates as { kind: string; remaining: number }[];
    expect(left.find((t) => t.kind === "booking_reminder")!.remaining).toBeGreaterThanOrEqual(1);
    expect(left.find((t) => t.kind === "maintenance_due")!.remaining).toBeGreaterThanOrEqual(1);
    expect(mp.wx.toasts).toContain("预约成功");
  });

  it("a booking whose answer was lost is not made twice when the member taps again", async () => {
    const posts = bookingsPosts().length;
    const comp = await render("pages/bookings/new");
    tap(comp, "#service-maintenance");
    await pickSlot(comp, D1, "11:00");
    await until(() => comp.data.ready, "ready");
    mp.wx.loseNextResponse = true;
    tap(comp, "#confirm");
    await until(() => comp.data.failure, "the failure");
    expect(textOf(comp)).toContain("网络不给力，请检查网络后重试");
    expect(comp.querySelector("#confirm").data.disabled).toBe(false);
    expect((await navigation(() => tap(comp, "#confirm"))).kind).toBe("redirectTo");
    const sent = bookingsPosts().slice(posts);
    expect(sent).toHaveLength(2);
    expect(sent[0].header["Idempotency-Key"]).toBe(sent[1].header["Idempotency-Key"]);
    expect((await myBookings()).filter((b) => b.start === at(D1, "11:00"))).toHaveLength(1);
  });

  it("the maintenance reminder's link opens the form pre-filled: that car, 保养 and that store", async () => {
    const comp = await render("pages/bookings/new", { assetId: String(carId), service: "maintenance", storeId: "2" });
    console.log(textOf(comp));
    expect(comp.data).toMatchObject({ storeId: 2, assetId: carId, serviceIds: [await serviceId(mp.api, "maintenance")] });
    expect(comp.querySelector("#store-2").data.note).toBe("已选");
    expect(comp.querySelector("#store-1").data.note).toBe("");
    expect(comp.querySelector("#service-maintenance").dom.className).toContain("active");
    expect(comp.querySelector(`#car-${carId}`).data.note).toBe("已选");
    const picker = comp.querySelector("#slots");
    await until(() => picker.data.days.length, "store 2's days");
    expect(textOf(picker)).not.toContain("门店当天不营业"); // store 2 opens every day
  });

  it("a time taken by someone else meanwhile is refused in the server's words, and the times are asked for again", async () => {
    const comp = await render("pages/bookings/new");
    tap(comp, "#service-inspection");
    const picker = await pickSlot(comp, D1, "14:00");
    await until(() => comp.data.ready, "ready");
    const other = await memberOf(mp.api, "demo-member-2");
    await bookThroughApi(mp.api, other.auth, { services: ["inspection"], date: D1, time: "14:00" });
    tap(comp, "#confirm");
    await until(() => comp.data.failure, "the refusal");
    expect(comp.data.failure).toMatch(/14:00 已约满，请选择其他时间$/);
    expect(textOf(comp)).toContain(comp.data.failure);
    expect(comp.data.start).toBe("");
    expect(comp.querySelector("#confirm").data.disabled).toBe(true);
    await until(() => picker.data.days.length && !picker.data.loading, "the days again");
    tap(picker, `#day-${D1}`);
    await until(() => picker.data.date === D1);
    expect(textOf(picker)).toContain("14:00已满");
  });

  it("上门取送车 asks for the address and waits for it before confirming, and the booking carries it", async () => {
    const comp = await render("pages/bookings/new");
    tap(comp, "#service-maintenance");
    tap(comp, "#service-pickup_delivery");
    await until(() => comp.querySelector("#address"), "the address field");
    await pickSlot(comp, D2, "16:00");
    await until(() => comp.data.start, "the time");
    expect(comp.querySelector("#confirm").data.disabled).toBe(true);
    typeInto(comp, "address", "上海市浦东新区世纪大道 100 号");
    await until(() => comp.data.ready, "ready");
    expect((await navigation(() => tap(comp, "#confirm"))).kind).toBe("redirectTo");
    const made = (await myBookings()).find((b) => b.start === at(D2, "16:00"));
    expect(made?.address).toBe("上海市浦东新区世纪大道 100 号");
  });

  it("a member without a car is sent to 添加车辆, and the car added there is picked on return", async () => {
    mp.loginAs("demo-member-3");
    const comp = await render("pages/bookings/new");
    expect(textOf(comp)).toContain("还没有车辆添加车辆后即可预约");
    expect((await navigation(() => tap(comp, "#add-car"))).url).toBe("/pages/cars/edit");
    const newcomer = await memberOf(mp.api, "demo-member-3");
    const car = (await mp.api.http.post("/api/v1/me/assets").set("authorization", newcomer.auth).send({ plate: "沪C55555", model: "星途 追风" }).expect(201)).body;
    comp.instance.onShow();
    await until(() => comp.data.assetId === car.id, "the new car picked");
    expect(comp.querySelector(`#car-${car.id}`).data).toMatchObject({ title: "沪C55555", note: "已选" });
    mp.loginAs("demo-member-1");
  });

  it("when the member cannot be logged in the form shows the server's message and 重试", async () => {
    mp.loginAs(null);
    const comp = await render("pages/bookings/new");
    expect(textOf(comp)).toContain("微信登录凭证无效或已使用，请重新进入小程序");
    expect(comp.querySelector("#retry")).toBeTruthy();
    mp.loginAs("demo-member-1");
  });

  it("我的预约 lists each booking with its status, a store's cancellation with its reason, and an empty list for a new member", async () => {
    await bookThroughApi(mp.api, member.auth, { services: ["repair"], date: D4, time: "09:00" });
    await mp.api.http.post("/api/v1/staff/stores/1/closures").set("authorization", manager).send({ date: D4, reason: "停电", cancelAffected: true, cancelReason: "门店临时停电，请改约其他日期" }).expect(201);
    const comp = await render("pages/bookings/index");
    const text = textOf(comp);
    console.log(text);
    expect(text).toContain(`${D1} 10:00–11:00已预约保养 · 沪A12345星途汽车4S店（浦东店）`);
    expect(text).toContain(`${D4} 09:00–11:00已取消维修 · 沪A12345`);
    expect(text).toContain("门店已取消：门店临时停电，请改约其他日期");
    const first = comp.data.list.items[0];
    expect(await navigation(() => tap(comp, `#booking-${first.id}`))).toEqual({ kind: "navigateTo", url: `/pages/bookings/detail?id=${first.id}` });

    mp.loginAs("demo-member-3");
    const empty = await render("pages/bookings/index");
    expect(textOf(empty)).toContain("还没有预约");
    expect((await navigation(() => tap(empty, "#book"))).url).toBe("/pages/bookings/new");
    mp.loginAs("demo-member-1");
  });

  it("a booking's page shows status, store, services, car and time, and reschedules through the picker", async () => {
    const booking = await bookThroughApi(mp.api, member.auth, { services: ["maintenance"], date: D2, time: "09:00" });
    const comp = await render("pages/bookings/detail", { id: String(booking.id) });
    const text = textOf(comp);
    console.log(text);
    expect(text).toMatch(new RegExp(`^${D2} 09:00–10:00已预约`));
    for (const words of ["服务项目保养", "车辆沪A12345", "门店上海市浦东新区张杨路 1888 号星途汽车4S店（浦东店）", "门店电话021-58880001", `预约号${booking.bookingNo}`, "预约方式小程序预约", "改约", "取消预约"]) expect(text).toContain(words);
    tap(comp, "#reschedule");
    await until(() => comp.querySelector("#slots"), "the picker");
    expect(comp.querySelector("#confirm-reschedule").data.disabled).toBe(true);
    await pickSlot(comp, D2, "14:00");
    await until(() => comp.data.newStart, "the new time");
    tap(comp, "#confirm-reschedule");
    await until(() => comp.data.view.timeText.startsWith(`${D2} 14:00`), "the new time shown");
    expect(mp.wx.toasts).toContain("改约成功");
    expect(comp.querySelector("#slots")).toBeFalsy();
    expect((await myBookings()).find((b) => b.id === booking.id)!.start).toBe(at(D2, "14:00"));
  });

  it("cancels after the member confirms, then shows it cancelled with 重新预约", async () => {
    const booking = await bookThroughApi(mp.api, member.auth, { services: ["inspection"], date: D2, time: "11:00" });
    const comp = await render("pages/bookings/detail", { id: String(booking.id) });
    tap(comp, "#cancel");
    await until(() => comp.data.booking.status === "cancelled", "cancelled");
    expect(mp.wx.modals.at(-1)).toEqual({ title: "取消预约", content: `确定取消 ${D2} 11:00–11:30 的预约吗？` });
    const text = textOf(comp);
    expect(text).toContain("已取消");
    expect(text).toContain("您已取消该预约");
    expect(comp.querySelector("#cancel")).toBeFalsy();
    expect(comp.querySelector("#reschedule")).toBeFalsy();
    expect((await navigation(() => tap(comp, "#book-again"))).url).toBe(`/pages/bookings/new?storeId=1&assetId=${carId}&service=inspection`);
    expect((await myBookings()).find((b) => b.id === booking.id)!.status).toBe("cancelled");
  });

  it("within the cutoff the server refuses a change, and the page says so in its words with the store's phone", async () => {
    const booking = await bookThroughApi(mp.api, member.auth, { services: ["maintenance"], date: D2, time: "15:00" });
    await moveStartTo(mp.api, booking.id, 60);
    const comp = await render("pages/bookings/detail", { id: String(booking.id) });
    const refusal = "开始前 2 小时内不能改约或取消，请致电门店（门店电话 021-58880001）";
    tap(comp, "#cancel");
    await until(() => comp.data.failure, "the refusal");
    expect(textOf(comp)).toContain(refusal);
    expect(mp.wx.toasts).toContain("开始前 2 小时内不能改约或取消，请致电门店");
    tap(comp, "#reschedule");
    await pickSlot(comp, D1, "15:00");
    await until(() => comp.data.newStart, "the new time");
    tap(comp, "#confirm-reschedule");
    await until(() => comp.data.failure, "the refusal again");
    expect(textOf(comp)).toContain(refusal);
    expect((await myBookings()).find((b) => b.id === booking.id)!.status).toBe("booked");
  });

  it("a booking that is not the member's shows the server's message and 重试", async () => {
    const comp = await render("pages/bookings/detail", { id: "999999" });
    expect(textOf(comp)).toContain("预约不存在");
    expect(comp.querySelector("#retry")).toBeTruthy();
  });

  it("预约 tab lists the next visits, each opening its page", async () => {
    const comp = await render("pages/booking/index");
    const text = textOf(comp);
    expect(text).toContain(`${D1} 10:00 已预约保养（沪A12345）`);
    expect(text).not.toContain("暂无待到店的预约");
    const first = comp.data.upcoming[0];
    expect(await navigation(() => tap(comp.querySelector(`#upcoming-${first.id}`), ".t-cell"))).toEqual({ kind: "navigateTo", url: `/pages/bookings/detail?id=${first.id}` });
  });
});
