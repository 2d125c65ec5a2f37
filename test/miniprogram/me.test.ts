import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../../server/notify/deliver.js";
import { enqueue } from "../../server/notify/outbox.service.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startMiniprogram, tap, textOf, until } from "../helpers/miniprogram.js";
import { memberOf } from "./fixtures.js";

describe.each(DATABASE_KINDS)("我的 and 我的消息 on %s", (kind) => {
  let mp: Awaited<ReturnType<typeof startMiniprogram>>;
  let member: Awaited<ReturnType<typeof memberOf>>;
  const me = async () => (await mp.api.http.get("/api/v1/me").set("authorization", member.auth)).body;
  beforeAll(async () => {
    mp = await startMiniprogram(kind, { openid: "demo-member-3" }); // 王先生: no phone, no birthday
    member = await memberOf(mp.api, "demo-member-3");
  }, 60_000);
  afterAll(() => mp.close());

  async function renderMe() {
    const comp = mp.render("pages/me/index");
    await until(() => !comp.data.loading, "我的");
    return comp;
  }

  it("shows the profile, message settings, reminders left and the binding section", async () => {
    const comp = await renderMe();
    const text = textOf(comp);
    console.log(text);
    expect(comp.querySelector("#nickname").data.value).toBe("王先生");
    expect(text).toMatch(/^王先生普卡积分 0/);
    expect(text).toContain("生日未填写");
    expect(text).toContain("手机号未绑定");
    expect(text).toContain("微信授权绑定");
    expect(comp.querySelector("#marketing").data.value).toBe(true);
    for (const kindName of ["预约提醒", "保养到期", "投诉处理结果"]) expect(text).toContain(kindName);
    expect(text).toContain("还可提醒 0 次");
    expect(text).toContain("获取绑定码");
  });

  it("saves the nickname typed in and the birthday picked", async () => {
    const comp = await renderMe();
    comp.querySelector("#nickname").querySelector(".t-input__control").dispatchEvent("input", { detail: { value: "王建国", cursor: 3 } });
    await until(() => comp.data.nickname === "王建国", "the typed nickname");
    tap(comp, "#save-nickname");
    await until(() => mp.wx.toasts.includes("已保存"), "the save");
    comp.querySelector("#birthday").dispatchEvent("change", { detail: { value: "1990-06-18" } });
    await until(() => comp.data.card.birthday === "1990-06-18", "the birthday");
    expect(textOf(comp)).toContain("生日1990-06-18");
    const saved = await me();
    expect([saved.nickname, saved.birthday]).toEqual(["王建国", "1990-06-18"]);
  });

  it("binds the phone WeChat's phone button hands over, and shows it masked", async () => {
    mp.api.wechat.phoneCodes.set("phone-code-1", "13700137000");
    const comp = await renderMe();
    comp.querySelector("#bind-phone").querySelector(".t-button").dispatchEvent("getphonenumber", { detail: { code: "phone-code-1", errMsg: "getPhoneNumber:ok" } });
    await until(() => comp.data.phoneText, "the phone");
    expect(textOf(comp)).toContain("手机号137****7000");
    expect((await me()).phone).toBe("13700137000");
    comp.querySelector("#bind-phone").querySelector(".t-button").dispatchEvent("getphonenumber", { detail: { errMsg: "getPhoneNumber:fail user deny" } });
    await until(() => mp.wx.toasts.includes("未授权手机号，可稍后再绑定"));
  });

  it("turns marketing messages off and on with the switch (PATCH /me/preferences)", async () => {
    const comp = await renderMe();
    comp.querySelector("#marketing").querySelector(".t-switch").dispatchEvent("tap");
    await until(() => mp.wx.toasts.includes("已关闭优惠活动消息，服务通知不受影响"), "off");
    expect((await mp.api.http.get("/api/v1/me/preferences").set("authorization", member.auth)).body).toEqual({ marketingOptOut: true });
    const again = await renderMe();
    expect(again.querySelector("#marketing").data.value).toBe(false);
    again.querySelector("#marketing").querySelector(".t-switch").dispatchEvent("tap");
    await until(() => mp.wx.toasts.includes("已开启优惠活动消息"), "on");
    expect((await mp.api.http.get("/api/v1/me/preferences").set("authorization", member.auth)).body).toEqual({ marketingOptOut: false });
  });

  it("asks consent for three reminder kinds in the tap, reports the answers and shows what is now allowed", async () => {
    mp.wx.subscribeAnswer = (id) => (id === "tmpl-complaint-resolved" ? "reject" : "accept");
    const comp = await renderMe();
    tap(comp, "#allow-more");
    await until(() => comp.data.reminders.some((r: { remaining: number }) => r.remaining > 0), "the new counts");
    expect(mp.wx.subscribeAsks.at(-1)).toEqual(["tmpl-booking-reminder", "tmpl-maintenance-due", "tmpl-complaint-resolved"]);
    const report = mp.wx.requests.find((r) => r.method === "POST" && r.url.endsWith("/api/v1/me/subscriptions"));
    expect(report!.data).toEqual({ results: { "tmpl-booking-reminder": "accept", "tmpl-maintenance-due": "accept", "tmpl-complaint-resolved": "reject" } });
    const left = (await mp.api.http.get("/api/v1/me/subscriptions").set("authorization", member.auth)).body.templates;
    expect(Object.fromEntries(left.map((t: { kind: string; remaining: number }) => [t.kind, t.remaining]))).toMatchObject({ booking_reminder: 1, maintenance_due: 1, complaint_resolved: 0 });
    const text = textOf(comp);
    expect(text).toContain("预约提醒还可提醒 1 次");
    expect(text).toContain("投诉处理结果还可提醒 0 次");
    // the next tap asks first for the kinds with none left
    tap(comp, "#allow-more");
    await until(() => mp.wx.subscribeAsks.length === 2);
    expect(mp.wx.subscribeAsks[1]).toEqual(["tmpl-complaint-resolved", "tmpl-coupon-expiring", "tmpl-points-expiring"]);
    mp.wx.subscribeAnswer = () => "accept";
  });

  it("shows the chatbot binding code with a countdown that runs", async () => {
    const comp = await renderMe();
    tap(comp, "#bind-code");
    await until(() => comp.data.bindCode, "the code");
    expect(comp.data.bindCode).toMatch(/^\d{6}$/);
    const first = comp.data.countdown;
    expect(first).toMatch(/^(09:5\d|10:00) 后失效$/);
    expect(textOf(comp)).toContain(`绑定码 ${comp.data.bindCode}`);
    await until(() => comp.data.countdown !== first, "a tick");
    expect(textOf(comp)).toContain("请在微信中把绑定码发给门店客服号");
    expect(textOf(comp)).toContain("重新获取绑定码");
    comp.detach();
  });

  it("我的消息 lists the messages sent to the member with kind, time and channel; empty before any", async () => {
    const empty = mp.render("pages/messages/index");
    await until(() => !empty.data.list.loading, "the empty list");
    expect(textOf(empty)).toContain("还没有消息");

    await mp.api.t.db.tx((m) =>
      enqueue(m, { kind: "points_expiring", memberId: member.id, storeId: 1, vars: { points: 320, expiresOn: "2099-01-31" }, dedupeKey: `mp-test-${kind}` }),
    );
    await deliverDue(mp.api.deps, new Date());
    const comp = mp.render("pages/messages/index");
    await until(() => !comp.data.list.loading && comp.data.list.items.length, "the message");
    const text = textOf(comp);
    console.log(text);
    expect(text).toContain("积分即将过期");
    expect(text).toContain("您有 320 积分将于 2099-01-31 前陆续过期，可在小程序中兑换优惠券。");
    expect(text).toContain("经小程序订阅消息送达");
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(text).toContain("没有更多了");
  });
});
