import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startMiniprogram, tap, textOf, until } from "../helpers/miniprogram.js";
import { createCouponTemplate, memberOf, recordPurchase } from "./fixtures.js";

describe.each(DATABASE_KINDS)("积分明细 and 积分商城 on %s", (kind) => {
  let mp: Awaited<ReturnType<typeof startMiniprogram>>;
  let member: Awaited<ReturnType<typeof memberOf>>;
  let washId: number;
  let goldOnlyId: number;
  beforeAll(async () => {
    mp = await startMiniprogram(kind);
    member = await memberOf(mp.api, "demo-member-1");
    await recordPurchase(mp.api, member.memberCode, 68_000); // ¥680.00 maintenance: 680 points
    await recordPurchase(mp.api, member.memberCode, 45_000);
    washId = await createCouponTemplate(mp.api, { name: "精洗一次", kind: "service", serviceName: "精致洗车", totalStock: 50, channel: "exchange", pointsCost: 500, validDays: 30 });
    goldOnlyId = await createCouponTemplate(mp.api, { name: "金卡保养 9 折", kind: "percent", percentOff: 10, maxDiscountFen: 20_000, totalStock: 10, channel: "exchange", pointsCost: 300, validDays: 60, tierCodes: ["gold", "diamond"] });
  }, 60_000);
  afterAll(() => mp.close());

  it("积分明细 lists the ledger newest first with China-time dates and the balance", async () => {
    const comp = mp.render("pages/points/index");
    await until(() => !comp.data.list.loading && comp.data.card, "the ledger");
    const text = textOf(comp);
    console.log(text);
    expect(comp.querySelector(".balance").dom.textContent).toBe("1130");
    expect(text).toContain("30 天内没有即将过期的积分");
    // both purchases' points expire 24 months on, on one day
    await until(() => comp.data.lots.length, "the lots");
    expect(textOf(comp)).toMatch(/积分到期时间\d{4}-\d{2}-\d{2} 到期1130 积分/);
    expect(comp.data.lots[0].expiresOn.slice(0, 4)).toBe(String(new Date().getFullYear() + 2));
    expect(text.indexOf("+450")).toBeGreaterThan(-1);
    expect(text.indexOf("+450")).toBeLessThan(text.indexOf("+680"));
    expect(text).toContain("保养消费 ¥450.00");
    expect(text).toMatch(/保养消费 ¥680.00（单号 \w+）\d{4}-\d{2}-\d{2} \d{2}:\d{2}\+680/);
    expect(text).toContain("没有更多了");
  });

  it("pages the ledger: 20 rows first, the next ones when the member reaches the bottom", async () => {
    const other = await memberOf(mp.api, "demo-member-2");
    for (let i = 0; i < 23; i++) await recordPurchase(mp.api, other.memberCode, 10_000 + i * 100);
    mp.loginAs("demo-member-2");
    const comp = mp.render("pages/points/index");
    await until(() => !comp.data.list.loading && comp.data.card, "the first page");
    expect(comp.data.list.items).toHaveLength(20);
    expect(textOf(comp)).toContain("上拉加载更多");
    comp.instance.onReachBottom();
    await until(() => comp.data.list.items.length === 23, "the second page");
    expect(textOf(comp)).toContain("没有更多了");
    expect(textOf(comp)).toContain("保养消费 ¥100.00");
    const stops = mp.wx.pullDownStops;
    comp.instance.onPullDownRefresh();
    await until(() => mp.wx.pullDownStops > stops, "the refresh");
    expect(comp.data.list.items).toHaveLength(20);
    mp.loginAs("demo-member-1");
  });

  it("积分商城 shows points price, stock and the tier gate; a gated coupon's button is disabled", async () => {
    const comp = mp.render("pages/points/mall");
    await until(() => !comp.data.loading, "the mall");
    const text = textOf(comp);
    console.log(text);
    expect(text).toContain("可用积分 1130");
    const wash = textOf(comp.querySelector(`#item-${washId}`));
    expect(wash).toContain("精洗一次");
    expect(wash).toContain("500 积分");
    expect(wash).toContain("库存 50");
    const gold = textOf(comp.querySelector(`#item-${goldOnlyId}`));
    expect(gold).toContain("仅限金卡、钻石卡");
    expect(gold).toContain("9 折");
    expect(gold).toContain("您的会员等级暂不能领取该优惠券");
    expect(comp.querySelector(`#exchange-${goldOnlyId}`).data.disabled).toBe(true);
    expect(comp.querySelector(`#exchange-${washId}`).data.disabled).toBe(false);
  });

  it("exchanges after the confirmation and shows the new balance; a double tap spends once", async () => {
    const comp = mp.render("pages/points/mall");
    await until(() => !comp.data.loading);
    tap(comp, `#exchange-${washId}`);
    tap(comp, `#exchange-${washId}`);
    await until(() => comp.data.balance === 630, "the new balance");
    expect(mp.wx.modals.at(-1)).toEqual({ title: "确认兑换", content: "使用 500 积分兑换「精洗一次」？" });
    expect(mp.wx.toasts).toContain("兑换成功，剩余 630 积分");
    await until(() => !comp.data.exchanging);
    expect(textOf(comp)).toContain("可用积分 630");
    const exchanges = mp.wx.requests.filter((r) => r.url.endsWith(`/templates/${washId}/exchange`));
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0].header["Idempotency-Key"]).toMatch(/^mp-/);
    const mine = await mp.api.http.get("/api/v1/me/coupons").set("authorization", member.auth);
    expect(mine.body.items.filter((c: { templateId: number }) => c.templateId === washId)).toHaveLength(1);
  });

  it("a cancelled confirmation spends nothing; a lost response retried with the same key spends once", async () => {
    const comp = mp.render("pages/points/mall");
    await until(() => !comp.data.loading);
    mp.wx.modalAnswer = false;
    const modals = mp.wx.modals.length;
    tap(comp, `#exchange-${washId}`);
    await until(() => mp.wx.modals.length > modals);
    await new Promise((resolve) => setTimeout(resolve, 50)); // the modal answers "cancel"
    mp.wx.modalAnswer = true;
    const before = mp.wx.requests.filter((r) => r.url.includes("/exchange")).length;
    expect(before).toBe(1);

    mp.wx.loseNextResponse = true; // the server exchanges, the phone hears nothing
    tap(comp, `#exchange-${washId}`);
    await until(() => mp.wx.toasts.includes("网络不给力，请检查网络后重试"), "the network toast");
    await until(() => !comp.data.exchanging);
    tap(comp, `#exchange-${washId}`);
    await until(() => mp.wx.toasts.includes("兑换成功，剩余 130 积分"), "the first answer, replayed");
    const tries = mp.wx.requests.filter((r) => r.url.includes("/exchange")).slice(1);
    expect(tries).toHaveLength(2);
    expect(tries[1].header["Idempotency-Key"]).toBe(tries[0].header["Idempotency-Key"]);
    const me = await mp.api.http.get("/api/v1/me").set("authorization", member.auth);
    expect(me.body.pointsBalance).toBe(130);
  });

  it("shows 积分不足 once the balance is below the price, and the empty ledger of a new member", async () => {
    const comp = mp.render("pages/points/mall");
    await until(() => !comp.data.loading);
    expect(textOf(comp.querySelector(`#item-${washId}`))).toContain("积分不足");
    expect(comp.querySelector(`#exchange-${washId}`).data.disabled).toBe(true);

    mp.loginAs("demo-member-3");
    const ledger = mp.render("pages/points/index");
    await until(() => !ledger.data.list.loading && ledger.data.card);
    expect(textOf(ledger)).toContain("暂无积分记录，到店消费即可累积积分");
    mp.loginAs("demo-member-1");
  });
});
