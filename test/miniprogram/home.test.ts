import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
