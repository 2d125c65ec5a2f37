import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Coupon } from "../../server/coupons/coupons.entity.js";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startMiniprogram, tap, textOf, until } from "../helpers/miniprogram.js";
import { createCouponTemplate, memberOf } from "./fixtures.js";

/** Taps the n-th tab of the page's <t-tabs id="tabs"> (可领取 0, 可使用 1, 已使用 2, 已过期 3). */
function tapTab(comp: any, index: number) {
  comp.querySelector("#tabs").querySelectorAll(".t-tabs__item")[index].dispatchEvent("tap");
}

describe.each(DATABASE_KINDS)("券包 and the coupon page on %s", (kind) => {
  let mp: Awaited<ReturnType<typeof startMiniprogram>>;
  let member: Awaited<ReturnType<typeof memberOf>>;
  let welcomeId: number;
  let soldOutId: number;
  beforeAll(async () => {
    mp = await startMiniprogram(kind);
    member = await memberOf(mp.api, "demo-member-1");
    welcomeId = await createCouponTemplate(mp.api, { name: "冬季保养立减", kind: "threshold", valueFen: 5000, thresholdFen: 30_000, totalStock: 100, perMemberLimit: 1, channel: "claim", validDays: 30 });
    soldOutId = await createCouponTemplate(mp.api, { name: "限量洗车券", kind: "service", serviceName: "精致洗车", totalStock: 1, channel: "claim", validDays: 7 });
    const other = await memberOf(mp.api, "demo-member-2");
    await mp.api.http.post(`/api/v1/coupons/templates/${soldOutId}/claim`).set("authorization", other.auth).expect(201);
  }, 60_000);
  afterAll(() => mp.close());

  it("opens on 可使用, empty at first, and lists what may be claimed on 可领取 with sold-out ones disabled", async () => {
    const comp = mp.render("pages/coupons/index");
    await until(() => !comp.data.loading, "the wallet");
    expect(textOf(comp)).toContain("暂无可使用的优惠券，去“可领取”看看");
    for (const label of ["可领取", "可使用", "已使用", "已过期"]) expect(textOf(comp)).toContain(label);
    tapTab(comp, 0);
    await until(() => comp.data.tab === "claimable" && !comp.data.loading && comp.data.cards.length, "可领取");
    const text = textOf(comp);
    console.log(text);
    expect(textOf(comp.querySelector(`#card-${welcomeId}`))).toContain("¥50.00冬季保养立减满 ¥300.00 可用领取后 30 天内有效领取");
    expect(comp.querySelector(`#claim-${welcomeId}`).data.disabled).toBe(false);
    expect(textOf(comp.querySelector(`#card-${soldOutId}`))).toContain("不可领取");
    expect(comp.querySelector(`#claim-${soldOutId}`).data.disabled).toBe(true);
  });

  it("claims once on a double tap (one Idempotency-Key), then the coupon is in 可使用 and may not be claimed again", async () => {
    const comp = mp.render("pages/coupons/index", { tab: "claimable" });
    await until(() => !comp.data.loading && comp.data.cards.length);
    tap(comp, `#claim-${welcomeId}`);
    tap(comp, `#claim-${welcomeId}`);
    await until(() => mp.wx.toasts.includes("领取成功，已放入券包"), "the claim");
    await until(() => !comp.data.claiming && comp.querySelector(`#claim-${welcomeId}`)?.data.disabled === true, "the reloaded list");
    expect(textOf(comp.querySelector(`#card-${welcomeId}`))).toContain("已达到每人限领数量");
    const claims = mp.wx.requests.filter((r) => r.url.endsWith(`/templates/${welcomeId}/claim`));
    expect(claims).toHaveLength(1);
    expect(claims[0].header["Idempotency-Key"]).toMatch(/^mp-/);
    const mine = await mp.api.http.get("/api/v1/me/coupons").set("authorization", member.auth);
    expect(mine.body.items.filter((c: { templateId: number }) => c.templateId === welcomeId)).toHaveLength(1);

    tapTab(comp, 1);
    await until(() => comp.data.tab === "available" && !comp.data.loading && comp.data.cards.length, "可使用");
    expect(textOf(comp)).toContain("冬季保养立减");
    expect(textOf(comp)).toContain("去使用");
    const coupon = mine.body.items[0];
    comp.querySelector(`#card-${coupon.id}`).dispatchEvent("tap");
    await until(() => mp.wx.navigations.length, "the navigation");
    expect(mp.wx.navigations.at(-1)).toEqual({ kind: "navigateTo", url: `/pages/coupon/detail?id=${coupon.id}` });
  });

  it("the coupon page shows the rules, validity, the code as QR and digits; once used it shows 已使用 without a QR", async () => {
    const mine = (await mp.api.http.get("/api/v1/me/coupons").set("authorization", member.auth)).body.items[0];
    const page = mp.render("pages/coupon/detail", { id: String(mine.id) });
    await until(() => !page.data.loading, "the coupon");
    const text = textOf(page);
    console.log(text);
    expect(text).toContain("¥50.00");
    expect(text).toContain("满 ¥300.00 可用");
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} 至 \d{4}-\d{2}-\d{2}/);
    expect(text).toContain("可使用");
    expect(page.querySelector("#coupon-qr").data.value).toBe(`CPN:${mine.code}`);
    expect(page.querySelector(".code").dom.textContent.replace(/ /g, "")).toBe(mine.code);
    tap(page, "#copy");
    await until(() => mp.wx.clipboard, "the copy");
    expect(mp.wx.clipboard).toBe(mine.code);

    const advisor = await mp.api.loginStaff("advisor", 1);
    await mp.api.http.post("/api/v1/staff/coupons/redeem").set("authorization", advisor.auth).send({ code: mine.code, orderNo: `WO-${kind}-1`, orderAmountFen: 48_000 }).expect(200);
    const used = mp.render("pages/coupon/detail", { id: String(mine.id) });
    await until(() => !used.data.loading);
    expect(textOf(used)).toContain("已使用");
    expect(textOf(used)).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} 已使用，优惠 ¥50.00/);
    expect(used.querySelector("#coupon-qr")).toBeFalsy();

    const wallet = mp.render("pages/coupons/index", { tab: "used" });
    await until(() => !wallet.data.loading && wallet.data.cards.length, "已使用");
    expect(textOf(wallet)).toContain("冬季保养立减");
    tapTab(wallet, 3);
    await until(() => wallet.data.tab === "expired" && !wallet.data.loading, "已过期");
    expect(textOf(wallet)).toContain("没有已过期的优惠券");
  });

  it("a coupon past its validity shows under 已过期, dimmed, and its page has no QR", async () => {
    const id = await createCouponTemplate(mp.api, { name: "周末洗车券", kind: "cash", valueFen: 2000, totalStock: 10, channel: "claim", validDays: 1 });
    const coupon = (await mp.api.http.post(`/api/v1/coupons/templates/${id}/claim`).set("authorization", member.auth).expect(201)).body;
    // a day and a half later (the coupon's end moved back instead of the clock forward)
    await mp.api.t.db.tx((m) => m.update(Coupon, { id: coupon.id }, { validFrom: new Date(Date.now() - 3 * 86_400_000), validTo: new Date(Date.now() - 86_400_000) }));
    const wallet = mp.render("pages/coupons/index", { tab: "expired" });
    await until(() => !wallet.data.loading && wallet.data.cards.length, "已过期");
    const card = textOf(wallet.querySelector(`#card-${coupon.id}`));
    expect(card).toContain("¥20.00周末洗车券无门槛");
    expect(card).toContain("已过期");
    expect(wallet.querySelector(`#card-${coupon.id}`).dom.className).toContain("dim");
    const page = mp.render("pages/coupon/detail", { id: String(coupon.id) });
    await until(() => !page.data.loading);
    expect(textOf(page)).toContain("已过期");
    expect(textOf(page)).toContain("该券已不可使用");
    expect(page.querySelector("#coupon-qr")).toBeFalsy();
  });

  it("a coupon that is not the member's shows that it was not found", async () => {
    const page = mp.render("pages/coupon/detail", { id: "999999" });
    await until(() => !page.data.loading);
    expect(textOf(page)).toContain("没有找到这张优惠券");
  });
});
