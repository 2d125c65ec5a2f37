import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { at, nextOpenDate } from "../helpers/booking.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startMiniprogram, tap, textOf, until } from "../helpers/miniprogram.js";
import { memberOf, recordPurchase } from "./fixtures.js";

describe.each(DATABASE_KINDS)("首页 / 会员 on %s", (kind) => {
  let mp: Awaited<ReturnType<typeof startMiniprogram>>;
  beforeAll(async () => {
    mp = await startMiniprogram(kind);
  }, 60_000);
  afterAll(() => mp.close());

  it("logs in with wx.login and shows the card: tier, points, progress, the member QR code, benefits, booking and maintenance", async () => {
    const member = await memberOf(mp.api, "demo-member-1");
    await recordPurchase(mp.api, member.memberCode, 120_000); // ¥1200.00: 1200 points, silver from 1000
    const comp = mp.render("pages/index/index");
    expect(textOf(comp)).toContain("加载中");
    await until(() => !comp.data.loading, "the card");
    const text = textOf(comp);
    console.log(comp.dom.innerHTML.length, text);
    expect(text).toContain("张先生");
    expect(text).toContain("银卡");
    expect(comp.querySelector(".balance").dom.textContent).toBe("1200");
    expect(text).toContain("再获得 3800 积分升级为金卡");
    expect(comp.querySelector("t-progress") ?? comp.data.progress).toBeTruthy();
    expect(comp.data.progress).toBe(24); // 1200 of gold's 5000
    expect(text).toContain("免费检测剩余 2/2 次");
    expect(comp.querySelector("#member-qr").data.value).toBe(member.memberCode);
    expect(comp.querySelector(".member-code").dom.textContent).toBe(member.memberCode);
    expect(mp.wx.requests[0].url).toContain("/api/v1/auth/wechat");
  });

  it("shows the next booking and the next maintenance; 预约保养 opens the booking page with the car, maintenance and the store", async () => {
    const member = await memberOf(mp.api, "demo-member-1");
    const cars = (await mp.api.http.get("/api/v1/me/assets").set("authorization", member.auth)).body;
    await mp.api.t.db.tx((m) => m.query("UPDATE asset SET nextDueDate = ?, nextDueMileage = ? WHERE id = ?", ["2027-01-15", 35_000, cars[0].id]));
    const day = nextOpenDate(3);
    const maintenance = (await mp.api.http.get("/api/v1/service-types")).body.find((s: { code: string }) => s.code === "maintenance");
    await mp.api.http.post("/api/v1/bookings").set("authorization", member.auth).set("Idempotency-Key", `home-${kind}-booking`).send({ storeId: 1, serviceIds: [maintenance.id], assetId: cars[0].id, start: at(day, "10:00") }).expect(201);

    const comp = mp.render("pages/index/index");
    await until(() => !comp.data.loading);
    const text = textOf(comp);
    expect(text).toContain(`下次预约${day} 10:00 保养（沪A12345）`);
    expect(text).toContain("下次保养 沪A12345");
    expect(text).toContain("2027-01-15 前 或行驶至 35000 公里");
    expect(comp.querySelector("#book-maintenance").data.disabled).toBe(false);
    tap(comp, "#book-maintenance");
    await until(() => mp.wx.navigations.length, "the navigation");
    expect(mp.wx.navigations.at(-1)).toEqual({ kind: "navigateTo", url: `/pages/bookings/new?assetId=${cars[0].id}&service=maintenance&storeId=${member.storeId}` });
  });

  it("without a car due, 预约保养 is disabled and says there is no plan", async () => {
    mp.loginAs("demo-member-3");
    const comp = mp.render("pages/index/index");
    await until(() => !comp.data.loading);
    expect(textOf(comp)).toContain("下次保养暂无保养计划");
    expect(textOf(comp)).toContain("下次预约暂无预约");
    expect(comp.querySelector("#book-maintenance").data.disabled).toBe(true);
    mp.loginAs("demo-member-1");
  });

  it("a token the server no longer accepts is replaced by one silent re-login, then the call is made again", async () => {
    mp.wx.storage.set("token", "expired.token.value");
    const before = mp.wx.requests.length;
    const comp = mp.render("pages/index/index");
    await until(() => !comp.data.loading);
    expect(textOf(comp)).toContain("张先生");
    const calls = mp.wx.requests.slice(before);
    expect(calls.filter((r) => r.url.endsWith("/api/v1/auth/wechat"))).toHaveLength(1);
    expect(mp.wx.storage.get("token")).not.toBe("expired.token.value");
    expect(mp.wx.toasts.filter((t) => t.includes("登录"))).toEqual([]);
  });

  it("pull to refresh reloads the card and stops the spinner", async () => {
    const comp = mp.render("pages/index/index");
    await until(() => !comp.data.loading);
    const stops = mp.wx.pullDownStops;
    comp.instance.onPullDownRefresh();
    await until(() => mp.wx.pullDownStops > stops, "the spinner stopped");
  });

  it("rotates the member code from its button", async () => {
    const comp = mp.render("pages/index/index");
    await until(() => !comp.data.loading);
    const before = comp.data.card.memberCode;
    tap(comp, "#rotate");
    await until(() => comp.data.card.memberCode !== before, "a new code");
    expect(comp.querySelector("#member-qr").data.value).toBe(comp.data.card.memberCode);
  });

  it("shows the server's Chinese message and a retry button when login fails", async () => {
    mp.loginAs(null);
    const comp = mp.render("pages/index/index");
    await until(() => !comp.data.loading);
    expect(textOf(comp)).toContain("微信登录凭证无效或已使用，请重新进入小程序");
    expect(mp.wx.toasts).toContain("微信登录凭证无效或已使用，请重新进入小程序");
    expect(comp.querySelector("#retry")).toBeTruthy();
    mp.loginAs("demo-member-1");
  });
});
