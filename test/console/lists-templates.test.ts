import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { CallTask } from "../../server/notify/notify.entity.js";
import { shanghaiInstant } from "../../server/stores/calendar.js";
import { createMembers } from "../helpers/instances.js";
import { describeBrowser, openMenu, shot, signIn, startConsoleRig, type ConsoleRig } from "./browser.js";

/** Clicks page `n` of the pagination inside `scope`. */
const goToPage = (page: Page, scope: string, n: number) => page.locator(`${scope} .t-pagination__number`, { hasText: new RegExp(`^${n}$`) }).click();

describeBrowser("console lists paged on the server, and coupon templates edited, paused and refused", () => {
  let rig: ConsoleRig;
  let manager: { auth: string; username: string };
  let templateId: number;

  beforeAll(async () => {
    rig = await startConsoleRig();
    manager = await rig.s.loginStaff("manager", null);
    const members = await createMembers(rig.s, 3, "lt");
    // 25 open calls of store 1, one a day from Nov 1
    await rig.s.t.db.tx(async (m) => {
      for (let i = 0; i < 25; i++) {
        await m.insert(CallTask, { memberId: members[i % 3].id, storeId: 1, messageId: null, reason: "booking_reminder", summary: `请提醒客户第${i + 1}号预约`, dedupeKey: `lt:${i}`, status: "open", outcome: null, note: null, doneByStaffId: null, doneAt: null, createdAt: shanghaiInstant(`2026-11-${String(i + 1).padStart(2, "0")}`, "10:00") });
      }
    });
    await rig.s.http.post("/api/v1/staff/faqs").set("authorization", manager.auth).send({ id: "wiper", question: "雨刮片多久换一次？", alternates: ["雨刷什么时候换"], answer: "一般每年更换一次，刮不干净时请及时更换。" }).expect(201);
    const created = await rig.s.http.post("/api/v1/staff/coupon-templates").set("authorization", manager.auth).send({ name: "空调清洗券", kind: "cash", valueFen: 3000, validDays: 30, totalStock: 10, channel: "claim" }).expect(201);
    templateId = created.body.id;
    for (const member of members) await rig.s.http.post(`/api/v1/coupons/templates/${templateId}/claim`).set("authorization", member.auth).expect(201);
  }, 240_000);
  afterAll(async () => rig?.close());

  it("a manager pages the call tasks and the FAQ list on the server and finds an FAQ by a word of its alternates", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await openMenu(page, "回访与电话任务");
    const calls = page.locator("[data-test=call-tasks]");
    await expect.poll(() => calls.innerText()).toContain("共 25 条");
    expect(await calls.locator("tbody").innerText()).toContain("请提醒客户第1号预约");
    const pageTwo = page.waitForResponse((r) => r.url().includes("/api/v1/staff/call-tasks") && r.url().includes("page=2"));
    await goToPage(page, "[data-test=call-tasks]", 2);
    await pageTwo;
    await expect.poll(() => calls.locator("tbody").innerText()).toContain("请提醒客户第11号预约");
    expect(await calls.locator("tbody").innerText()).not.toContain("请提醒客户第1号预约\n");
    await shot(page, "40-call-tasks-page-2");

    await page.locator("[data-test=call-search] input").fill("不存在的客户");
    await page.locator("[data-test=call-search] input").press("Enter");
    await expect.poll(() => calls.innerText()).toContain("没有符合条件的回访任务");

    await openMenu(page, "知识库");
    const faqs = page.locator("[data-test=faqs]");
    await expect.poll(() => faqs.locator("tbody").innerText()).not.toBe("");
    const total = Number((await faqs.innerText()).match(/· (\d+) 条/)![1]);
    expect(total).toBeGreaterThan(10);
    await goToPage(page, "[data-test=faqs]", 2);
    await expect.poll(() => faqs.locator(".t-pagination__number.t-is-current").innerText()).toBe("2");
    const searched = page.waitForResponse((r) => r.url().includes("/api/v1/staff/faqs?") && decodeURIComponent(r.url()).includes("q=雨刷"));
    await page.locator("[data-test=faq-search] input").fill("雨刷");
    await searched;
    await expect.poll(() => faqs.innerText()).toContain("· 1 条");
    expect(await faqs.locator("tbody").innerText()).toContain("雨刮片多久换一次？");
    await shot(page, "41-faq-search");
  });

  it("a manager raises a template's stock, is refused lowering it below the claimed count with the server's message, then deactivates it", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await openMenu(page, "营销");
    const row = page.locator("[data-test=templates] tr", { hasText: "空调清洗券" });
    await expect.poll(() => row.innerText()).toContain("剩 7 / 10");
    await row.locator("[data-test=template-edit]").click();
    const dialog = page.locator(".t-dialog:visible");
    await expect.poll(() => dialog.innerText()).toContain("已发出 3 张");
    await shot(page, "42-template-edit");
    await dialog.locator("[data-test=template-stock] input").fill("20");
    await page.locator(".t-dialog__confirm:visible", { hasText: "保存" }).click();
    await expect.poll(() => row.innerText()).toContain("剩 17 / 20");

    await row.locator("[data-test=template-edit]").click();
    await dialog.locator("[data-test=template-stock] input").fill("2");
    await page.locator(".t-dialog__confirm:visible", { hasText: "保存" }).click();
    await expect.poll(() => page.locator("[data-test=template-error]:visible").innerText()).toContain("总库存不能少于已发出的 3 张");
    await shot(page, "43-template-stock-refused");
    await page.locator(".t-dialog__cancel:visible").click();
    expect((await rig.s.http.get("/api/v1/staff/coupon-templates").set("authorization", manager.auth)).body.find((t: { id: number }) => t.id === templateId).totalStock).toBe(20);

    await row.locator("[data-test=template-pause]").click();
    await expect.poll(() => page.locator(".t-popconfirm:visible").innerText()).toContain("已发出的券仍可使用");
    await page.locator(".t-popconfirm .t-button", { hasText: "确定" }).click();
    await expect.poll(() => row.innerText()).toContain("已停用");
    expect(await row.locator("[data-test=template-delete]").count()).toBe(0); // issued: it can only be paused
    await shot(page, "44-template-deactivated");
  });
});
