import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { at, nextOpenDate } from "../helpers/booking.js";
import { describeBrowser, openMenu, shot, signIn, startConsoleRig, type ConsoleRig } from "./browser.js";

/** Confirms the open TDesign popconfirm. */
const confirmPop = (page: Page) => page.locator(".t-popconfirm .t-button", { hasText: "确定" }).click();
/** Clicks the confirm button of the open dialog. */
const confirmDialog = (page: Page, label: string) => page.locator(".t-dialog__confirm:visible", { hasText: label }).click();

describeBrowser("console 营销 and 门店: coupon templates, tiers, store hours and closures", () => {
  let rig: ConsoleRig;
  let manager: { auth: string; username: string };
  let advisor: { auth: string; username: string };

  beforeAll(async () => {
    rig = await startConsoleRig();
    manager = await rig.s.loginStaff("manager", 1);
    advisor = await rig.s.loginStaff("advisor", 1);
  }, 240_000);
  afterAll(async () => rig?.close());

  it("a manager creates a cash coupon template with ¥50 typed (5000 fen stored) after the form refused it empty, then pauses it", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await openMenu(page, "营销");
    await page.locator("[data-test=template-new]").click();
    await confirmDialog(page, "创建");
    await page.getByText("请填写名称").waitFor(); // validated before sending
    const form = page.locator("[data-test=template-form]:visible");
    await form.locator("[data-test=template-name] input").fill("保养立减50元");
    await form.locator("[data-test=template-value] input").fill("50");
    await form.locator("[data-test=template-stock] input").fill("200");
    await shot(page, "30-marketing-new-template");
    await confirmDialog(page, "创建");
    const row = page.locator("[data-test=templates] tr", { hasText: "保养立减50元" });
    await expect.poll(() => row.innerText()).toContain("立减 ¥50.00");
    expect(await row.innerText()).toContain("发放中");
    const stored = (await rig.s.http.get("/api/v1/staff/coupon-templates").set("authorization", manager.auth).expect(200)).body.find((t: { name: string }) => t.name === "保养立减50元");
    expect(stored).toMatchObject({ kind: "cash", valueFen: 5000, totalStock: 200, channel: "claim", validDays: 30, status: "active" });

    await row.locator("[data-test=template-pause]").click();
    await confirmPop(page);
    await expect.poll(() => row.innerText()).toContain("已停用");
    const paused = (await rig.s.http.get("/api/v1/staff/coupon-templates").set("authorization", manager.auth)).body.find((t: { id: number }) => t.id === stored.id);
    expect(paused.status).toBe("paused");
    await shot(page, "31-marketing-templates");

    await page.locator(".t-tabs__nav-item", { hasText: "等级" }).click();
    const tiers = (await rig.s.http.get("/api/v1/loyalty/tiers")).body as { name: string }[];
    await expect.poll(() => page.locator("[data-test=tiers]").innerText()).toContain(tiers[tiers.length - 1].name);
    await expect.poll(() => page.locator("[data-test=categories]").innerText()).toContain("×");
    await shot(page, "32-marketing-tiers");
    await page.close();
  }, 90_000);

  it("a manager closes a day that has a booking: the booking is listed, the cancellation confirmed, and the store cancelled it", async () => {
    const date = nextOpenDate(6);
    const member = await rig.s.loginMember("demo-member-1", 1);
    const assets = (await rig.s.http.get("/api/v1/me/assets").set("authorization", member.auth)).body;
    const asset = (Array.isArray(assets) ? assets : assets.items)[0];
    const booking = (await rig.s.http.post("/api/v1/bookings").set("authorization", member.auth).set("idempotency-key", "console-closure-1")
      .send({ storeId: 1, serviceIds: [1], assetId: asset.id, start: at(date, "10:00") }).expect(201)).body;

    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await openMenu(page, "门店");
    await page.locator("[data-test=hours]").waitFor();
    await shot(page, "33-stores-hours");
    await page.locator(".t-tabs__nav-item", { hasText: "休息日" }).click();
    await page.locator("[data-test=closure-new]").click();
    const form = page.locator("[data-test=closure-form]:visible");
    const picker = form.locator("[data-test=closure-date] input");
    await picker.fill(date);
    await picker.press("Enter");
    await form.locator("[data-test=closure-reason] input").click();
    await form.locator("[data-test=closure-reason] input").fill("店内设备检修");
    const affected = form.locator("[data-test=closure-affected]");
    await expect.poll(() => affected.innerText()).toContain("当天有 1 个已有预约");
    expect(await affected.innerText()).toContain(booking.bookingNo);
    await confirmDialog(page, "休息并取消 1 个预约");
    await page.getByText("请填写取消预约的原因").waitFor(); // the members' reason is required
    await form.locator("[data-test=closure-cancel-reason] textarea").fill("门店设备检修停业一天，请改约其他日期");
    await shot(page, "34-stores-closure-affected");
    await confirmDialog(page, "休息并取消 1 个预约");
    await page.locator(".t-dialog__confirm:visible", { hasText: "确定取消并休息" }).click();
    await page.getByText("已添加休息日，并由门店取消 1 个预约").waitFor();
    await expect.poll(() => page.locator("[data-test=closures-table] tbody").innerText()).toContain(date);

    const after = (await rig.s.http.get(`/api/v1/me/bookings/${booking.id}`).set("authorization", member.auth).expect(200)).body;
    expect(after).toMatchObject({ status: "cancelled", cancelledBy: "store", cancelReason: "门店设备检修停业一天，请改约其他日期" });
    const setup = (await rig.s.http.get("/api/v1/staff/stores/1/setup").set("authorization", manager.auth)).body;
    expect(setup.closures).toContainEqual({ date, reason: "店内设备检修" });
    await shot(page, "35-stores-closures");
    await page.locator(".t-tabs__nav-item", { hasText: "工位与技师" }).click();
    await page.locator("[data-test=technicians] tbody tr").first().waitFor();
    await shot(page, "36-stores-resources");
    await page.close();
  }, 90_000);

  it("a manager closes Saturdays: the Saturday booking is listed, the store cancels it with the reason given", async () => {
    let saturday = nextOpenDate(2);
    for (let ahead = 3; new Date(`${saturday}T00:00:00Z`).getUTCDay() !== 6; ahead++) saturday = nextOpenDate(ahead); // a plain Saturday
    const member = await rig.s.loginMember("demo-member-2", 1);
    const assets = (await rig.s.http.get("/api/v1/me/assets").set("authorization", member.auth)).body;
    const asset = (Array.isArray(assets) ? assets : assets.items)[0];
    const booking = (await rig.s.http.post("/api/v1/bookings").set("authorization", member.auth).set("idempotency-key", "console-hours-1")
      .send({ storeId: 1, serviceIds: [1], assetId: asset.id, start: at(saturday, "10:00") }).expect(201)).body;

    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await page.goto(`${rig.base}/console/stores?tab=hours`);
    const sat = page.locator("[data-test=hours] tr", { hasText: "周六" });
    await sat.locator(".t-switch").click();
    await page.locator("[data-test=hours-save]").click();
    const dialog = page.locator(".t-dialog:visible", { hasText: "新营业时间会影响已有预约" });
    await expect.poll(() => dialog.innerText()).toContain(booking.bookingNo);
    await dialog.locator("textarea").fill("门店调整为周六休息，请改约工作日");
    await shot(page, "33b-stores-hours-affected");
    await confirmDialog(page, "保存并取消 1 个预约");
    await page.getByText("已保存营业时间").waitFor();
    const after = (await rig.s.http.get(`/api/v1/me/bookings/${booking.id}`).set("authorization", member.auth).expect(200)).body;
    expect(after).toMatchObject({ status: "cancelled", cancelledBy: "store", cancelReason: "门店调整为周六休息，请改约工作日" });
    const setup = (await rig.s.http.get("/api/v1/staff/stores/1/setup").set("authorization", manager.auth)).body;
    expect(setup.week.map((w: { weekday: number }) => w.weekday)).not.toContain(6);
    await page.close();
  }, 60_000);

  it("an admin sets a benefit's quota and a spend category's multiplier on 营销, and picks another store on 门店", async () => {
    const admin = await rig.s.loginStaff("admin", null);
    const page = await rig.newPage();
    await signIn(page, rig.base, admin.username);
    await page.goto(`${rig.base}/console/marketing?tab=tiers`);
    const silver = page.locator("[data-test=tiers] tr", { hasText: "银卡" });
    await silver.locator(".t-tag", { hasText: "免费检测" }).click();
    const form = page.locator("[data-test=benefit-form]:visible");
    await form.locator(".t-input-number input").fill("3");
    await confirmDialog(page, "保存");
    await expect.poll(() => silver.innerText()).toContain("免费检测 · 每月 3 次");
    const tiers = (await rig.s.http.get("/api/v1/loyalty/tiers")).body as { code: string; benefits: { name: string; quota: number }[] }[];
    expect(tiers.find((t) => t.code === "silver")!.benefits.find((b) => b.name === "免费检测")!.quota).toBe(3);

    const wash = page.locator("[data-test=categories] tr", { hasText: "洗车美容" });
    await wash.locator(".t-input-number input").fill("200");
    await wash.locator(".t-button", { hasText: "保存" }).click();
    await page.getByText("已保存“洗车美容”的倍率").waitFor();
    const earning = (await rig.s.http.get("/api/v1/staff/loyalty/earning").set("authorization", admin.auth).expect(200)).body;
    expect(earning.categories.find((c: { code: string }) => c.code === "car_wash").multiplierPct).toBe(200);
    await shot(page, "37-marketing-tiers-admin");

    await openMenu(page, "门店");
    await page.locator("[data-test=hours]").waitFor();
    await page.locator("[data-test=store]").click();
    const stores = (await rig.s.http.get("/api/v1/stores")).body as { id: number; name: string }[];
    const second = stores.find((st) => st.id !== 1)!;
    const loaded = page.waitForResponse((r) => r.url().includes(`/api/v1/staff/stores/${second.id}/setup`));
    await page.locator(".t-select-option", { hasText: second.name }).click();
    await loaded;
    await page.locator(".t-tabs__nav-item", { hasText: "工位与技师" }).click();
    await page.locator("[data-test=bays] tbody tr").first().waitFor();
    await shot(page, "38-stores-admin");
    await page.close();
  }, 60_000);

  it("an advisor sees neither 营销 nor 门店 in the menu and is refused both routes", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, advisor.username);
    const menu = await page.locator(".t-menu").innerText();
    expect(menu).toContain("预约看板");
    expect(menu).not.toContain("营销");
    expect(menu).not.toContain("门店");
    for (const path of ["marketing", "stores"]) {
      await page.goto(`${rig.base}/console/${path}`);
      await page.getByText("无权访问").first().waitFor();
      expect(page.url()).toContain("/console/forbidden");
    }
    await rig.s.http.get("/api/v1/staff/coupon-templates").set("authorization", advisor.auth).expect(403);
    await page.close();
  }, 60_000);
});
