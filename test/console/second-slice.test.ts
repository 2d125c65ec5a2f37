import { readFileSync } from "node:fs";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { Booking } from "../../server/bookings/bookings.entity.js";
import { deliverDue } from "../../server/notify/deliver.js";
import { at, nextOpenDate } from "../helpers/booking.js";
import { describeBrowser, openMenu, shot, signIn, startConsoleRig, type ConsoleRig } from "./browser.js";

/** Confirms the open TDesign popconfirm. */
const confirmPop = (page: Page) => page.locator(".t-popconfirm .t-button", { hasText: "确定" }).click();
/** Opens a TDesign tab by its label. */
const openTab = (page: Page, label: string) => page.locator(".t-tabs__nav-item", { hasText: label }).first().click();
/** Clicks the confirm button of the open dialog. */
const confirmDialog = (page: Page, label: string) => page.locator(".t-dialog__confirm:visible", { hasText: label }).click();

describeBrowser("console second slice: bookings board, calls, messages, knowledge base, reports", () => {
  let rig: ConsoleRig;
  let advisor: { auth: string; username: string };
  let manager: { auth: string; username: string };
  let agent: { auth: string; username: string };
  let member: { auth: string };
  let complaintNumber: string;

  beforeAll(async () => {
    rig = await startConsoleRig();
    advisor = await rig.s.loginStaff("advisor", 1);
    manager = await rig.s.loginStaff("manager", 1);
    agent = await rig.s.loginStaff("agent", 1);
    member = await rig.s.loginMember("demo-member-1", 1);
    const filed = await rig.s.http.post("/api/v1/complaints").set("authorization", member.auth).set("idempotency-key", "console-second-slice-1")
      .send({ category: "waiting_time", content: "保养等了很久，前台没有告知进度", demand: "explanation" });
    expect(filed.status).toBe(201);
    complaintNumber = filed.body.number;
  }, 240_000);
  afterAll(async () => rig?.close());

  it("a manager previews a weather alert with its reach per channel, sends it once and sees it in the outbox counts", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await openMenu(page, "消息");
    await openTab(page, "天气预警");
    await page.locator("[data-test=weather-preview]").click();
    await page.getByText("请填写预警内容").waitFor(); // validated before sending
    await page.locator("[data-test=weather-text] textarea").fill("明天上午有暴雨，请注意行车安全，涉水路段请绕行。");
    await page.locator("[data-test=weather-preview]").click();
    const reach = page.locator("[data-test=weather-reach]");
    await expect.poll(() => reach.innerText()).toContain("小程序订阅消息");
    const text = await reach.innerText();
    expect(text).toContain("微信客服");
    expect(text).toContain("转门店电话回访");
    const members = Number(/共 (\d+) 位会员/.exec(text)?.[1]);
    expect(members).toBeGreaterThan(0);
    await shot(page, "20-weather-preview");

    await page.locator("[data-test=weather-send]").click();
    await confirmPop(page);
    await expect.poll(() => page.locator("[data-test=weather-sent]").innerText()).toContain(`已加入发件箱 ${members} 条`);
    expect(await page.locator("[data-test=weather-send]").isDisabled()).toBe(true);

    const outbox = await rig.s.http.get("/api/v1/staff/outbox?kind=weather_alert").set("authorization", manager.auth).expect(200);
    expect(outbox.body.total).toBe(members); // sent once

    await openTab(page, "发送情况");
    await page.locator("[data-test=outbox] .t-button", { hasText: "刷新" }).click();
    const counts = page.locator("[data-test=outbox-counts]");
    const all = (await rig.s.http.get("/api/v1/staff/outbox").set("authorization", manager.auth)).body.total;
    await expect.poll(() => counts.innerText()).toContain(`${all}\n全部`);
    await expect.poll(() => page.locator("[data-test=outbox] tbody").innerText()).toContain("天气预警");
    await page.locator("[data-test=outbox-kind]").click();
    await page.locator(".t-select-option", { hasText: "天气预警" }).click();
    await expect.poll(() => page.locator("[data-test=outbox]").innerText()).toContain(`共 ${members} 条数据`); // filtered on the server
    await shot(page, "21-messages-outbox");
    await openTab(page, "我的消息箱");
    await expect.poll(() => page.locator("[data-test=inbox-panel]").innerText()).toMatch(/消息箱是空的|未读|已读/);
    await shot(page, "21b-messages-inbox");
    await page.close();
  }, 60_000);

  it("a manager opens the monthly report: charts drawn, totals in text, and the CSV export downloads", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await openMenu(page, "报表");
    const totals = page.locator("[data-test=totals]");
    await expect.poll(() => totals.innerText()).toContain("投诉总数");
    expect(await totals.innerText()).toMatch(/投诉总数\s*1\b/);
    for (const chart of ["category", "sla", "satisfaction", "trend"]) {
      const canvas = page.locator(`[data-test=chart-${chart}] canvas`).first();
      await canvas.waitFor();
      const box = await canvas.boundingBox();
      expect(box!.width).toBeGreaterThan(200);
      expect(box!.height).toBeGreaterThan(100);
    }
    expect(await page.locator("[data-test=period-label]").innerText()).toContain("月");
    await page.waitForTimeout(600); // ECharts' entry animation
    await shot(page, "22-reports-month");

    const [download] = await Promise.all([page.waitForEvent("download"), page.locator("[data-test=export-csv]").click()]);
    expect(download.suggestedFilename()).toMatch(/^投诉统计-月报-.*\.csv$/);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv).toContain(complaintNumber);
    const [xlsx] = await Promise.all([page.waitForEvent("download"), page.locator("[data-test=export-xlsx]").click()]);
    expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString()).toBe("PK"); // a zip, as xlsx files are

    await page.locator("[data-test=period] .t-radio-button", { hasText: "周报" }).click();
    await expect.poll(() => page.locator("[data-test=period-label]").innerText()).toMatch(/投诉周报 · \d{4}年第\d+周/);
    await shot(page, "22b-reports-week");
    await page.close();
  }, 60_000);

  it("an advisor checks a booking in on the board, moves it through the visit, completes it and sees the points credited", async () => {
    const date = nextOpenDate(1);
    const assets = (await rig.s.http.get("/api/v1/me/assets").set("authorization", member.auth)).body;
    const asset = (Array.isArray(assets) ? assets : assets.items)[0];
    const booking = (await rig.s.http.post("/api/v1/bookings").set("authorization", member.auth).set("idempotency-key", "console-board-visit-1")
      .send({ storeId: 1, serviceIds: [1], assetId: asset.id, start: at(date, "10:00") }).expect(201)).body;
    const before = (await rig.s.http.get("/api/v1/me").set("authorization", member.auth)).body.pointsBalance;
    // a second visit nobody answered within the 2-hour promise
    const other = await rig.s.loginMember("demo-member-2", 1);
    const otherAssets = (await rig.s.http.get("/api/v1/me/assets").set("authorization", other.auth)).body;
    const otherAsset = (Array.isArray(otherAssets) ? otherAssets : otherAssets.items)[0];
    const unanswered = (await rig.s.http.post("/api/v1/bookings").set("authorization", other.auth).set("idempotency-key", "console-board-visit-2")
      .send({ storeId: 1, serviceIds: [1, 3], assetId: otherAsset.id, start: at(date, "14:00") }).expect(201)).body;
    await rig.s.t.dataSource.manager.update(Booking, { id: unanswered.id }, { respondBy: new Date(Date.now() - 3_600_000) });

    const page = await rig.newPage();
    await signIn(page, rig.base, advisor.username);
    await openMenu(page, "预约看板");
    await page.locator("[data-test=timeline]").waitFor();
    await page.goto(`${rig.base}/console/bookings?date=${date}`);
    const block = page.locator(`[data-test=booking-${booking.id}]`);
    await expect.poll(() => block.innerText()).toContain(asset.plate);
    expect(await page.locator("[data-test=lane-lift]").innerText()).toContain("容量 3 个工位");
    const lateBlock = page.locator(`[data-test=booking-${unanswered.id}]`);
    expect(await lateBlock.innerText()).toContain("超时");
    expect(await lateBlock.getAttribute("class")).toContain("late");
    await expect.poll(() => page.locator("[data-test=late-list]").innerText()).toContain(otherAsset.plate);
    await block.click();
    await page.locator("[data-test=check-in]").click();
    await confirmDialog(page, "登记");
    await page.getByText("请填写当前里程").waitFor();
    await page.locator("[data-test=check-in-mileage] input").fill(String(asset.mileage - 100));
    await confirmDialog(page, "登记");
    await expect.poll(() => page.locator("[data-test=check-in-error]").innerText()).toContain("里程"); // the server's words, the input kept
    expect(await page.locator("[data-test=check-in-mileage] input").inputValue()).toBe(String(asset.mileage - 100));
    await page.locator("[data-test=check-in-mileage] input").fill(String(asset.mileage + 1200));
    await confirmDialog(page, "登记");
    await expect.poll(() => block.innerText()).toContain("已到店");
    await page.locator("[data-test=start]").click();
    await expect.poll(() => block.innerText()).toContain("施工中");
    await expect.poll(() => page.locator("[data-test=booking-panel]").innerText()).not.toContain("未分配");
    await shot(page, "23-bookings-board");
    await page.locator("[data-test=ready]").click();
    await expect.poll(() => block.innerText()).toContain("待取车");

    await page.locator("[data-test=complete]").click();
    await page.locator("[data-test=item-0] [data-test=item-name] input").fill("更换机油机滤");
    await page.locator("[data-test=item-0] [data-test=item-yuan] input").fill("388.5");
    await shot(page, "24a-bookings-complete-form");
    await confirmDialog(page, "结算并交车");
    const result = page.locator("[data-test=complete-result]");
    await expect.poll(() => result.innerText()).toContain("交车完成");
    const after = (await rig.s.http.get("/api/v1/me").set("authorization", member.auth)).body.pointsBalance;
    expect(after).toBeGreaterThan(before);
    expect(await result.innerText()).toContain(`积分 +${after - before}`);
    expect(await result.innerText()).toContain("¥388.50");
    await shot(page, "24-bookings-completed");
    await page.getByRole("button", { name: "完成" }).click();
    await expect.poll(() => block.innerText()).toContain("已交车");
    await page.close();
  }, 90_000);

  it("an agent reads the FAQ misses; a manager adds one as a phrasing of an FAQ, adds an FAQ after the form refused it empty, and deactivates it after confirming", async () => {
    const question = "能开通分期付款吗";
    await rig.s.http.post("/api/v1/faq/match").send({ q: question }).expect(200);
    const page = await rig.newPage();
    await signIn(page, rig.base, agent.username);
    await openMenu(page, "知识库");
    await expect.poll(() => page.locator("[data-test=faqs] tbody").innerText()).toContain("你们门店几点营业");
    await openTab(page, "未解答的问题");
    const row = page.locator("[data-test=misses] tr", { hasText: question });
    await expect.poll(() => row.innerText()).toContain("经理可处理");
    await shot(page, "25-faq-misses-agent");
    await page.close();

    const mpage = await rig.newPage();
    await signIn(mpage, rig.base, manager.username);
    const faqsLoaded = mpage.waitForResponse((r) => r.url().includes("/api/v1/staff/faqs"));
    await mpage.goto(`${rig.base}/console/faq?tab=misses`);
    await faqsLoaded; // the FAQs the miss can join
    const mrow = mpage.locator("[data-test=misses] tr", { hasText: question });
    await mrow.locator("[data-test=miss-faq]").click();
    await mpage.locator(".t-select-option", { hasText: "怎么预约保养或维修" }).click();
    await mrow.locator("[data-test=miss-add]").click();
    await mpage.getByText(`已把“${question}”加为“怎么预约保养或维修？”的相似问法`).waitFor();
    const faqs = (await rig.s.http.get("/api/v1/staff/faqs").set("authorization", manager.auth)).body.items;
    expect(faqs.find((f: { id: string }) => f.id === "booking").alternates).toContain(question);
    await expect.poll(() => mpage.locator("[data-test=misses]").innerText()).not.toContain(question);
    await openTab(mpage, "常见问题");
    await mpage.locator("[data-test=faq-new]").click();
    await confirmDialog(mpage, "保存");
    await mpage.getByText("请填写问题").waitFor(); // validated before sending
    const form = mpage.locator("[data-test=faq-form]:visible");
    await form.locator("input").first().fill("wash_car");
    await form.locator("input").nth(1).fill("保养后可以免费洗车吗？");
    await form.locator(".t-tag-input input").fill("送洗车吗");
    await mpage.keyboard.press("Enter");
    await form.locator("textarea").fill("到店保养的车辆交车前都会免费清洗外观。");
    await shot(mpage, "26a-faq-new");
    await confirmDialog(mpage, "保存");
    const added = mpage.locator("[data-test=faqs] tr", { hasText: "保养后可以免费洗车吗" });
    await expect.poll(() => added.innerText()).toContain("送洗车吗");
    await added.locator(".t-button", { hasText: "停用" }).click();
    await confirmPop(mpage);
    await expect.poll(() => mpage.locator("[data-test=faqs] tbody").innerText()).not.toContain("保养后可以免费洗车吗");
    expect((await rig.s.http.get("/api/v1/staff/faqs?active=false").set("authorization", manager.auth)).body.items.map((f: { id: string }) => f.id)).toContain("wash_car");
    await shot(mpage, "26-faq-manager");
    await mpage.close();
  }, 60_000);

  it("an advisor sees neither 知识库 nor 消息 in the menu and is refused both routes; 回访与电话任务 opens", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, advisor.username);
    const menu = await page.locator(".t-menu").innerText();
    expect(menu).toContain("预约看板");
    expect(menu).toContain("回访与电话任务");
    expect(menu).not.toContain("知识库");
    expect(menu).not.toContain("消息");
    for (const path of ["faq", "messages"]) {
      await page.goto(`${rig.base}/console/${path}`);
      await page.getByText("无权访问").first().waitFor();
      expect(page.url()).toContain("/console/forbidden");
    }
    await deliverDue(rig.s.deps, new Date()); // the weather alert no channel carries becomes a call for the store
    await page.goto(`${rig.base}/console/calls`);
    const tasks = page.locator("[data-test=call-tasks]");
    await expect.poll(() => tasks.innerText()).toContain("天气预警");
    await tasks.locator("[data-test=call-outcome]").first().click();
    await confirmDialog(page, "保存");
    await page.getByText("请选择结果").waitFor(); // validated before sending
    await page.locator("[data-test=outcome-form]:visible .t-radio", { hasText: "已联系到" }).click();
    await page.locator("[data-test=outcome-form]:visible [data-test=outcome-note] textarea").fill("客户已知晓，明天改期");
    await confirmDialog(page, "保存");
    await page.getByText("已记录回访结果").waitFor();
    await expect.poll(() => page.locator("[data-test=return-visits]").innerText()).toContain("没有待回访的投诉");
    await shot(page, "27-calls");
    await page.close();
  }, 60_000);
});
