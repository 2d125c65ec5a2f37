import { afterAll, beforeAll, expect, it } from "vitest";
import { describeBrowser, openMenu, shot, signIn, startConsoleRig, type ConsoleRig } from "./browser.js";

describeBrowser("console: staff accounts, the access log and a major complaint's escalation", () => {
  let rig: ConsoleRig;

  beforeAll(async () => {
    rig = await startConsoleRig();
  }, 240_000);
  afterAll(async () => rig?.close());

  it("an admin creates an advisor account, resets its password, and the advisor signs in with the new one", async () => {
    const admin = await rig.s.loginStaff("admin", null);
    const page = await rig.newPage();
    await signIn(page, rig.base, admin.username);
    await openMenu(page, "员工");
    await page.locator("[data-test=staff-table]").getByText(admin.username).waitFor();
    await page.locator("[data-test=new-staff]").click();
    await page.locator("[data-test=f-username] input").fill("wangwu.sa");
    await page.locator("[data-test=f-name] input").fill("王五");
    await page.locator("[data-test=f-password] input").fill("First2026a");
    await page.getByRole("button", { name: "创建" }).click();
    await expect.poll(() => page.locator("[data-test=staff-form]").innerText()).toContain("服务顾问必须选择门店"); // validated before sending
    await page.locator("[data-test=f-store]").click();
    await page.locator(".t-select-option").first().click();
    await shot(page, "30-staff-create");
    await page.getByRole("button", { name: "创建" }).click();
    const row = page.locator("tr", { hasText: "wangwu.sa" });
    await row.waitFor();
    expect(await row.innerText()).toContain("服务顾问");
    expect(await row.innerText()).toContain("在用");

    await row.locator("[data-test=reset]").click();
    await page.locator("[data-test=f-new-password] input").fill("Reset2026b");
    await page.getByRole("button", { name: "确认重置" }).click();
    await page.getByText("已重置 王五 的密码").waitFor();
    await shot(page, "31-staff-list");
    // both changes are in the audit log, named in Chinese, with who made them
    await openMenu(page, "审计");
    await page.getByText("操作日志", { exact: true }).click();
    const log = page.locator("[data-test=audit-log]");
    await expect.poll(() => log.innerText()).toContain("重置员工密码");
    expect(await log.innerText()).toContain("创建员工账号");
    expect(await log.innerText()).toContain("测试admin");
    await shot(page, "31b-audit-log");
    await page.close();

    const advisorPage = await rig.newPage();
    await signIn(advisorPage, rig.base, "wangwu.sa", "Reset2026b");
    expect(await advisorPage.locator(".t-menu").innerText()).toContain("工作台");
    await advisorPage.close();
  }, 90_000);

  it("a manager reads in 查阅登记 who opened a member's archive and why", async () => {
    const advisor = await rig.s.loginStaff("advisor", 1);
    const { member } = await rig.s.loginMember("demo-member-1");
    const opened = await rig.s.http.get(`/api/v1/staff/members/${member.id}/archive`).query({ reason: "客户来电询问积分到期" }).set("authorization", advisor.auth);
    expect(opened.status).toBe(200);
    const manager = await rig.s.loginStaff("manager", 1);
    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await openMenu(page, "审计");
    await page.locator("[data-test=filter-member] input").fill(String(member.id));
    await page.locator("[data-test=filter-search]").click();
    const row = page.locator("[data-test=access-log] tr", { hasText: "客户来电询问积分到期" });
    await row.waitFor();
    expect(await row.innerText()).toContain("测试advisor");
    expect(await row.innerText()).toContain(`#${member.id}`);
    await shot(page, "32-audit-access-log");
    await page.close();
  }, 60_000);

  it("on a major complaint a manager files the escalation report, sees it, and the timeline shows 重大 and 预警报备", async () => {
    const { auth } = await rig.s.loginMember("demo-member-2");
    const filed = await rig.s.http.post("/api/v1/complaints").set("authorization", auth).set("idempotency-key", "console-test-major-1")
      .send({ category: "waiting_time", content: "修了三次还是漏油，再不解决我就去媒体曝光", demand: "explanation" });
    expect(filed.status).toBe(201);
    const manager = await rig.s.loginStaff("manager", filed.body.storeId);
    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await page.goto(`${rig.base}/console/complaints/${filed.body.id}`);
    await page.locator("[data-test=escalation-form]").waitFor();
    await page.locator("[data-test=esc-submit]").click();
    await expect.poll(() => page.locator("[data-test=escalation-form]").innerText()).toContain("请填写事件概况");
    expect(await page.locator("[data-test=escalation]").innerText()).toContain("报备时限");
    await shot(page, "33-complaint-escalation-form");
    await page.locator("[data-test=esc-summary] textarea").fill("车主反映维修三次仍漏油");
    await page.locator("[data-test=esc-risk] textarea").fill("客户称将向媒体曝光");
    await page.locator("[data-test=esc-plan] textarea").fill("今日由技术经理复检，明日回电");
    await page.locator("[data-test=esc-submit]").click();
    await expect.poll(() => page.locator("[data-test=escalation]").innerText()).toContain("今日由技术经理复检");
    expect(await page.locator("[data-test=escalation]").innerText()).toContain("测试manager");
    const timeline = await page.locator("[data-test=timeline]").innerText();
    expect(timeline).toContain("标记为重大投诉");
    expect(timeline).toContain("提交预警报备");
    await shot(page, "34-complaint-escalation-filed");
    await page.close();
  }, 60_000);

  it("on a resolved complaint a manager records the return visit and adds it to the case library", async () => {
    const { auth } = await rig.s.loginMember("demo-member-3");
    const filed = await rig.s.http.post("/api/v1/complaints").set("authorization", auth).set("idempotency-key", "console-test-resolved-1")
      .send({ category: "waiting_time", content: "取车时洗车没有洗干净", demand: "explanation" });
    expect(filed.status).toBe(201);
    const manager = await rig.s.loginStaff("manager", filed.body.storeId);
    expect((await rig.s.http.post("/api/v1/staff/complaint-queue/take").set("authorization", manager.auth).send({ complaintId: filed.body.id })).status).toBeLessThan(300);
    const investigation = { cause: "洗车工漏洗", course: "取车前未检查", responsible: "洗车组", conclusion: "投诉属实", corrective: "重新洗车", preventive: "交车前检查" };
    const resolved = await rig.s.http.post(`/api/v1/staff/complaints/${filed.body.id}/resolve`).set("authorization", manager.auth).send({ investigation, reply: "已为您重新洗车，抱歉。" });
    expect(resolved.status).toBeLessThan(300);
    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await page.goto(`${rig.base}/console/complaints/${filed.body.id}`);
    await page.locator("[data-test=return-visit-form]").waitFor();
    await page.locator("[data-test=rv-outcome]").click();
    await page.locator(".t-select-option", { hasText: "已联系到客户" }).click();
    await page.locator("[data-test=rv-submit]").click();
    await expect.poll(() => page.locator("[data-test=return-visit]").innerText()).toContain("已联系到客户");
    await page.locator("[data-test=add-case]").click();
    await page.locator("[data-test=case-title] input").fill("交车前洗车未检查");
    await page.getByRole("button", { name: "加入", exact: true }).click();
    await expect.poll(() => page.locator("[data-test=timeline]").innerText()).toContain("加入案例库");
    expect(await page.locator("[data-test=timeline]").innerText()).toContain("回访");
    expect(await page.locator("[data-test=add-case]").count()).toBe(0);
    await shot(page, "35-complaint-return-visit-case");
    await page.close();
  }, 60_000);

  it("an advisor sees neither 员工 nor 审计 in the menu and both routes refuse", async () => {
    const advisor = await rig.s.loginStaff("advisor", 1);
    const page = await rig.newPage();
    await signIn(page, rig.base, advisor.username);
    const items = await page.locator(".t-menu .t-menu__item").allInnerTexts();
    expect(items.map((t) => t.trim())).not.toContain("员工");
    expect(items.map((t) => t.trim())).not.toContain("审计");
    for (const path of ["staff", "audit"]) {
      await page.goto(`${rig.base}/console/${path}`);
      await page.waitForURL("**/console/forbidden**");
    }
    await page.close();
  }, 60_000);
});
