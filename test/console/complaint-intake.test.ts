import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeBrowser, openMenu, shot, signIn, startConsoleRig, type ConsoleRig } from "./browser.js";

// a 1×1 PNG: the server checks the first bytes, not the name
const PNG = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
const photo = (name: string) => ({ name, mimeType: "image/png", buffer: PNG });

/** Picks an option of a TDesign select. */
async function choose(page: Page, select: string, option: string) {
  await page.locator(select).click();
  await page.locator(".t-select-option", { hasText: option }).first().click();
}

/** Looks the member up on 会员 and opens the archive with the default reason. */
async function openArchive(page: Page, memberCode: string) {
  await openMenu(page, "会员");
  await page.locator("[data-test=member-lookup] input").fill(memberCode);
  await page.locator("[data-test=member-lookup] input").press("Enter");
  await page.getByRole("button", { name: "查阅", exact: true }).click();
  await page.locator("[data-test=archive]").waitFor();
}

describeBrowser("console: complaints taken in by staff, with photos, in the member's archive and the access log", () => {
  let rig: ConsoleRig;
  let advisor: { username: string; id: number };
  let agent: { username: string; auth: string };
  let member: { id: number; memberCode: string };
  let filed = "";

  beforeAll(async () => {
    rig = await startConsoleRig();
    advisor = await rig.s.loginStaff("advisor", 1);
    agent = await rig.s.loginStaff("agent", 1);
    member = (await rig.s.loginMember("demo-member-1")).member;
  }, 240_000);
  afterAll(async () => rig?.close());

  it("an advisor registers a phone complaint with a photo from the member's archive and finds it under the archive's 投诉 tab", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, advisor.username);
    await openArchive(page, member.memberCode);
    const countOf = async () => Number((await page.locator(".t-tabs__nav-item", { hasText: "投诉（" }).innerText()).match(/投诉（(\d+)）/)?.[1]);
    const before = await countOf();
    expect(before).toBeGreaterThanOrEqual(0);
    await page.locator("[data-test=archive-intake]").click();
    const dialog = page.locator(".t-dialog", { hasText: "登记投诉" });
    expect(await dialog.locator("[data-test=intake-member] input").inputValue()).toBe(member.memberCode);
    expect(await dialog.locator("[data-test=intake-member-found]").innerText()).toContain("张先生");
    await choose(page, "[data-test=intake-category]", "等待时间");
    await dialog.locator("[data-test=intake-content] textarea").fill("客户来电：保养预约 9 点，等到 12 点才开始施工，没人告知进度");
    await choose(page, "[data-test=intake-demand]", "给予解释");
    await dialog.locator("[data-test=photo-input]").setInputFiles({ name: "说明.txt", mimeType: "text/plain", buffer: Buffer.from("这不是照片，只是一段文字说明而已。") });
    await expect.poll(() => dialog.locator("[data-test=photo-error]").innerText()).toContain("仅支持 JPEG、PNG、WebP 或 GIF 格式的照片");
    await dialog.locator("[data-test=photo-input]").setInputFiles(photo("工单.png"));
    await dialog.locator("[data-test=photo-upload] img").waitFor();
    await shot(page, "60-intake-from-archive");
    await dialog.getByRole("button", { name: "登记", exact: true }).click();
    await page.waitForURL(/\/console\/complaints\/\d+$/);
    filed = (await page.locator(".page-title").innerText()).split(" ")[0];
    expect(filed).toMatch(/^TS\d{8}-\d{4}$/);
    const desc = await page.locator(".t-descriptions").innerText();
    expect(desc).toContain("张先生");
    expect(desc).toContain("电话");
    await page.locator("[data-test=thread] img[alt=投诉照片]").waitFor();
    await shot(page, "61-intake-filed");

    await openArchive(page, member.memberCode);
    expect(await countOf()).toBe(before + 1);
    await page.locator(".t-tabs__nav-item", { hasText: "投诉（" }).click();
    const row = page.locator("[data-test=archive-complaints] tr", { hasText: filed });
    expect(await row.innerText()).toContain("等待时间");
    expect(await row.innerText()).toContain("处理中");
    await shot(page, "62-archive-complaints-tab");
    await row.click();
    await page.waitForURL(/\/console\/complaints\/\d+$/);
    expect(await page.locator(".page-title").innerText()).toContain(filed);
    await page.close();
  }, 120_000);

  it("an agent's intake on 投诉工作台 is checked before sending, keeps the input on the server's refusal, is marked major, and the agent replies with a photo", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, agent.username);
    await openMenu(page, "投诉工作台");
    await page.locator("[data-test=open-intake]").click();
    const dialog = page.locator(".t-dialog", { hasText: "登记投诉" });
    await dialog.getByRole("button", { name: "登记", exact: true }).click();
    await expect.poll(() => dialog.innerText()).toContain("请输入会员码或手机号");
    const text = await dialog.innerText();
    for (const hint of ["请选择投诉类别", "请填写投诉内容", "请选择客户诉求"]) expect(text).toContain(hint);
    await dialog.locator("[data-test=intake-major]").click();
    await dialog.getByRole("button", { name: "登记", exact: true }).click();
    await expect.poll(() => dialog.innerText()).toContain("请填写认定为重大投诉的理由");
    await shot(page, "63-intake-validation");

    await dialog.locator("[data-test=intake-member] input").fill("13000000000");
    await choose(page, "[data-test=intake-category]", "维修质量");
    await dialog.locator("[data-test=intake-content] textarea").fill("更换刹车片后异响，第二次返修仍未解决");
    await choose(page, "[data-test=intake-demand]", "返修处理");
    await dialog.locator("[data-test=intake-major-reason] input").fill("二次返修未解决，客户要求书面答复");
    await dialog.getByRole("button", { name: "登记", exact: true }).click();
    await expect.poll(() => dialog.locator("[data-test=intake-error]").innerText()).toContain("没有使用该手机号的会员");
    expect(await dialog.locator("[data-test=intake-content] textarea").inputValue()).toBe("更换刹车片后异响，第二次返修仍未解决");
    await shot(page, "64-intake-server-refusal");

    await dialog.locator("[data-test=intake-member] input").fill("13800138001");
    await dialog.getByRole("button", { name: "登记", exact: true }).click();
    await page.waitForURL(/\/console\/complaints\/\d+$/);
    expect(await page.locator(".page-title").innerText()).toContain("重大投诉");
    expect(await page.locator(".t-descriptions").innerText()).toContain("测试agent");

    await page.locator("[data-test=reply-text] textarea").fill("您好，已安排技术主管复检，明天上午给您书面答复。");
    await page.locator("[data-test=photo-input]").setInputFiles([photo("复检1.png"), photo("复检2.png")]);
    await expect.poll(() => page.locator("[data-test=photo-upload] img").count()).toBe(2);
    await page.locator("[data-test=photo-remove-1]").click();
    await expect.poll(() => page.locator("[data-test=photo-upload] img").count()).toBe(1);
    await page.locator("[data-test=send-reply]").click();
    const message = page.locator("[data-test=message]", { hasText: "已安排技术主管复检" });
    await message.locator("img[alt=投诉照片]").waitFor();
    expect(await message.locator("img[alt=投诉照片]").count()).toBe(1);
    expect(await page.locator("[data-test=photo-upload] img").count()).toBe(0);
    await shot(page, "65-reply-with-photo");
    const id = Number(new URL(page.url()).pathname.split("/").pop());
    const detail = (await rig.s.http.get(`/api/v1/staff/complaints/${id}`).set("authorization", agent.auth).expect(200)).body;
    expect(detail).toMatchObject({ severity: "major", channel: "phone", complainant: { memberId: member.id } });
    expect(detail.majorReasons).toContain("人工标记：二次返修未解决，客户要求书面答复");
    expect(detail.messages.at(-1).photoIds).toHaveLength(1);
    await page.close();
  }, 120_000);

  it("a manager over every store picks 查阅人 from the log and filters it by the member's code", async () => {
    const other = await rig.s.loginMember("intake-other-member", 1);
    const group = await rig.s.loginStaff("manager", null);
    const admin = await rig.s.loginStaff("admin", null);
    await rig.s.http.get(`/api/v1/staff/members/${other.member.id}/archive`).query({ reason: "核对另一位会员" }).set("authorization", admin.auth).expect(200);
    const page = await rig.newPage();
    await signIn(page, rig.base, group.username);
    await openMenu(page, "审计");
    await page.locator("[data-test=access-log] tbody tr").first().waitFor();
    await page.locator("[data-test=filter-staff]").click();
    await expect.poll(() => page.locator(".t-select-option").allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining("测试advisor（服务顾问）")]));
    await page.keyboard.press("Escape");
    await page.locator("[data-test=filter-member] input").fill(member.memberCode.toLowerCase());
    await page.locator("[data-test=filter-search]").click();
    await expect.poll(() => page.locator("[data-test=access-log] tbody tr").count()).toBe(2);
    const table = await page.locator("[data-test=access-log]").innerText();
    expect(table).toContain("到店接待");
    expect(table).toContain("测试advisor");
    expect(table).not.toContain("核对另一位会员");
    await shot(page, "66-access-log-by-member-code");
    await page.locator("[data-test=filter-member] input").fill("13800138001");
    await page.locator("[data-test=filter-search]").click();
    await expect.poll(() => page.locator("[data-test=access-log]").innerText()).not.toContain("核对另一位会员");
    expect(await page.locator("[data-test=access-log] tbody tr").count()).toBe(2);
    await page.locator("[data-test=filter-member] input").fill("ZZZZZZ9999");
    await page.locator("[data-test=filter-search]").click();
    await expect.poll(() => page.locator("[data-test=access-error]").innerText()).toContain("没有该会员码的会员");
    await page.close();
  }, 90_000);
});
