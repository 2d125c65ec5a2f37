import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Booking } from "../../server/bookings/bookings.entity.js";
import { todayInShanghai } from "../../server/http/time.js";
import { Member } from "../../server/members/members.entity.js";
import { at, giveCars, nextOpenDate } from "../helpers/booking.js";
import { createMembers } from "../helpers/instances.js";
import { describeBrowser, openMenu, shot, signIn, startConsoleRig, type ConsoleRig } from "./browser.js";

const openTab = (page: Page, label: string) => page.locator(".t-tabs__nav-item", { hasText: label }).first().click();

/** Every chart of the card is a canvas of a real size with something drawn on it. */
async function expectDrawn(page: Page, card: string) {
  const canvas = page.locator(`[data-test=${card}] canvas`).first();
  await canvas.waitFor();
  const box = await canvas.boundingBox();
  expect(box!.width, card).toBeGreaterThan(200);
  expect(box!.height, card).toBeGreaterThan(100);
  await page.waitForTimeout(600); // ECharts' entry animation
  const inked = await canvas.evaluate((c: HTMLCanvasElement) => {
    const data = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
    let n = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) n++;
    return n;
  });
  expect(inked, card).toBeGreaterThan(500);
}

describeBrowser("console 报表: complaints, bookings, points and tiers tabs", () => {
  let rig: ConsoleRig;
  let manager: { auth: string; username: string };
  const today = todayInShanghai();

  beforeAll(async () => {
    rig = await startConsoleRig();
    manager = await rig.s.loginStaff("manager", 1);
    const demo = await rig.s.loginMember("demo-member-1", 1);
    await rig.s.http.post("/api/v1/complaints").set("authorization", demo.auth).set("idempotency-key", "console-reports-1").send({ category: "waiting_time", content: "保养等了很久，前台没有告知进度", demand: "explanation" }).expect(201);

    // three bookings of store 1 made through the API, then moved to today and settled: one completed, one no-show, one still booked
    const members = await createMembers(rig.s, 3, "rpt-console");
    const cars = await giveCars(rig.s, members.map((m) => m.id));
    const date = nextOpenDate(2);
    const ids: number[] = [];
    for (const [i, m] of members.entries()) {
      const res = await rig.s.http.post("/api/v1/bookings").set("authorization", m.auth).set("idempotency-key", `rpt-console-${i}`).send({ storeId: 1, serviceIds: [i === 2 ? 2 : 1], assetId: cars[i], start: at(date, ["09:00", "10:00", "11:00"][i]) });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids.push(res.body.id);
    }
    const repo = rig.s.t.dataSource.manager;
    for (const [i, status] of (["completed", "no_show", "booked"] as const).entries()) await repo.update(Booking, { id: ids[i] }, { start: new Date(at(today, "00:30")), status });
    // points through the API: 300 granted, 50 deducted; one member raised to 金卡
    const adjust = (delta: number) => rig.s.http.post("/api/v1/staff/points/adjustments").set("authorization", manager.auth).send({ memberId: members[0].id, delta, reason: "报表测试" }).expect(200);
    await adjust(300);
    await adjust(-50);
    await repo.update(Member, { id: members[1].id }, { tierCode: "gold" });
  }, 240_000);
  afterAll(async () => rig?.close());

  it("a manager reads every tab with its charts and figures in Chinese, opens a tab from its link, and downloads the bookings CSV", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await openMenu(page, "报表");
    await expect.poll(() => page.locator("[data-test=totals]").innerText()).toMatch(/投诉总数\s*1\b/);
    await expect.poll(() => page.locator(".page").innerText()).not.toContain("需要服务端先提供统计接口");
    for (const chart of ["category", "sla", "satisfaction", "trend"]) await expectDrawn(page, `chart-${chart}`);
    await shot(page, "30-reports-complaints");

    await openTab(page, "预约");
    const bookings = page.locator("[data-test=bookings-totals]");
    await expect.poll(() => bookings.innerText()).toMatch(/预约总数\s*3\b/);
    const text = await bookings.innerText();
    expect(text).toMatch(/未到店\s*1\b/);
    expect(text).toMatch(/爽约率\s*50\.0%/);
    expect(text).toContain("未到店 1 / 应到店 2");
    expect(page.url()).toContain("tab=bookings");
    await expect.poll(() => page.locator(".page").innerText()).toContain("爽约率 = 未到店 ÷ 应到店");
    await expectDrawn(page, "chart-bookings-daily");
    await expectDrawn(page, "chart-bookings-service");
    await shot(page, "31-reports-bookings");
    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("[data-test=export-csv]").click()]);
    expect(download.suggestedFilename()).toBe(`预约报表-月报-${today}.csv`);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.split("\r\n")[0]).toBe("\uFEFF日期,待到店,已到店,施工中,待取车,已完成,未到店,会员取消,门店取消,合计,应到店,爽约率");
    expect(csv).toContain(`${today},1,0,0,0,1,1,0,0,3,2,50.0%`);
    const [xlsx] = await Promise.all([page.waitForEvent("download"), page.locator("[data-test=export-xlsx]").click()]);
    expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe("PK");

    await openTab(page, "积分");
    const points = page.locator("[data-test=points-totals]");
    await expect.poll(() => points.innerText()).toMatch(/发放积分\s*300\b/);
    expect(await points.innerText()).toMatch(/扣回积分\s*50\b/);
    expect(await points.innerText()).toMatch(/净增\s*250\b/);
    await expectDrawn(page, "chart-points-daily");
    await shot(page, "32-reports-points");

    await openTab(page, "会员等级");
    const tiers = page.locator("[data-test=tiers-totals]");
    const expected = (await rig.s.http.get("/api/v1/staff/reports/tiers").set("authorization", manager.auth).expect(200)).body;
    await expect.poll(() => tiers.innerText()).toMatch(new RegExp(`会员总数\\s*${expected.total}\\b`));
    expect(await tiers.innerText()).toMatch(/金卡\s*1\b/);
    await expectDrawn(page, "chart-tiers-pie");
    await shot(page, "33-reports-tiers");

    // a link opens the tab
    await page.goto(`${rig.base}/console/reports?tab=points`);
    await expect.poll(() => page.locator("[data-test=points-totals]").innerText()).toMatch(/发放积分\s*300\b/);
    await page.close();
  }, 90_000);

  it("says when the week has no bookings, shows the server's message with 重试 when a report fails, and gives agents the complaint tab only", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await page.route("**/api/v1/staff/reports/points?**", (route) => route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ error: { code: "DB_UNAVAILABLE", message: "数据库暂时不可用，请稍后重试" } }) }));
    await page.goto(`${rig.base}/console/reports?tab=points`);
    const error = page.locator("[data-test=report-error]");
    await expect.poll(() => error.innerText()).toContain("数据库暂时不可用，请稍后重试");
    await shot(page, "34-reports-error");
    await page.unroute("**/api/v1/staff/reports/points?**");
    await error.locator(".t-button", { hasText: "重试" }).click();
    await expect.poll(() => page.locator("[data-test=points-totals]").innerText()).toMatch(/发放积分\s*300\b/);

    await page.close();

    // an admin picks store 2, which has no bookings this week
    const admin = await rig.s.loginStaff("admin", null);
    const adminPage = await rig.newPage();
    await signIn(adminPage, rig.base, admin.username);
    await adminPage.goto(`${rig.base}/console/reports?tab=bookings`);
    await expect.poll(() => adminPage.locator("[data-test=bookings-totals]").innerText()).toMatch(/预约总数\s*3\b/);
    await adminPage.locator("[data-test=period] .t-radio-button", { hasText: "周报" }).click();
    await adminPage.locator(".toolbar .t-select").click();
    await adminPage.locator(".t-select-option", { hasText: "闵行店" }).click();
    await expect.poll(() => adminPage.locator("[data-test=report-empty]").innerText()).toBe("这一期没有预约");
    await shot(adminPage, "35-reports-empty-week");
    await adminPage.close();

    // an agent has the complaint statistics only
    const agent = await rig.s.loginStaff("agent", 1);
    const agentPage = await rig.newPage();
    await signIn(agentPage, rig.base, agent.username);
    await openMenu(agentPage, "报表");
    await expect.poll(() => agentPage.locator("[data-test=totals]").innerText()).toContain("投诉总数");
    expect(await agentPage.locator(".t-tabs__nav-item").allInnerTexts()).toEqual(["投诉"]);
    await agentPage.close();
  }, 60_000);
});
