import { afterAll, beforeAll, expect, it } from "vitest";
import { describeBrowser, openMenu, shot, signIn, startConsoleRig, type ConsoleRig } from "./browser.js";

describeBrowser("console: a complaint from the queue to the manager's approval", () => {
  let rig: ConsoleRig;
  let agent: { auth: string; username: string };
  let manager: { auth: string; username: string };
  let member: { auth: string };
  let complaint: { id: number; number: string };

  beforeAll(async () => {
    rig = await startConsoleRig();
    agent = await rig.s.loginStaff("agent", 1);
    manager = await rig.s.loginStaff("manager", 1);
    member = await rig.s.loginMember("demo-member-1");
    const filed = await rig.s.http.post("/api/v1/complaints").set("authorization", member.auth).set("idempotency-key", "console-test-complaint-1")
      .send({ category: "waiting_time", content: "保养等了三个小时，没有人告诉我进度", demand: "explanation" });
    expect(filed.status).toBe(201);
    complaint = filed.body;
  }, 240_000);
  afterAll(async () => rig?.close());

  it("an agent takes it from the queue, replies, sees the member's answer arrive without reload, and files a resolution above the limit", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, agent.username);
    await openMenu(page, "投诉工作台");
    await page.getByRole("tab", { name: "待认领队列" }).click().catch(() => page.getByText("待认领队列").click());
    const row = page.locator("tr", { hasText: complaint.number });
    await row.waitFor();
    expect(await row.innerText()).toContain("首次答复 还剩");
    await shot(page, "07-complaint-queue");
    await row.locator("[data-test=take]").click();
    await page.waitForURL(`**/console/complaints/${complaint.id}`);
    await expect.poll(() => page.locator(".t-descriptions").innerText()).toContain("测试agent");

    await page.locator("[data-test=reply-text] textarea").fill("您好，非常抱歉让您久等，我们正在核实当天的排班。");
    await page.locator("[data-test=send-reply]").click();
    await expect.poll(() => page.locator("[data-test=thread]").innerText()).toContain("正在核实当天的排班");

    const answer = await rig.s.http.post(`/api/v1/complaints/${complaint.id}/replies`).set("authorization", member.auth).send({ body: "好的，请尽快给我答复" });
    expect(answer.status).toBeLessThan(300);
    await expect.poll(() => page.locator("[data-test=thread]").innerText(), { timeout: 12_000 }).toContain("请尽快给我答复");

    await page.locator("[data-test=resolve]").click();
    await page.getByRole("button", { name: "提交" }).click();
    await expect.poll(() => page.locator("[data-test=resolve-form]").innerText()).toContain("请填写事情经过"); // validated before sending
    for (const [key, text] of Object.entries({ cause: "高峰期排队", conclusion: "投诉属实", course: "当天技师请假，排班未调整", responsible: "前台调度", corrective: "当天致电致歉", preventive: "排班表每日复核" })) {
      await page.locator(`[data-test=inv-${key}] textarea`).fill(text);
    }
    await page.locator("[data-test=resolve-reply] textarea").fill("经核实是排班问题，已整改，赠送 8000 积分表示歉意。");
    await page.getByText("积分", { exact: true }).click();
    await page.locator("[data-test=comp-points] input").fill("8000");
    await page.getByRole("button", { name: "提交" }).click();
    await page.locator("[data-test=approval]").waitFor();
    expect(await page.locator("[data-test=approval]").innerText()).toContain("等待经理审批");
    await page.locator(".t-dialog__mask").waitFor({ state: "hidden" }).catch(() => {});
    await shot(page, "08-complaint-pending-approval");
    await page.close();
  }, 90_000);

  it("the manager finds it under 补偿审批 and approves after confirming", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, manager.username);
    await shot(page, "09-dashboard-manager");
    await openMenu(page, "补偿审批");
    await page.locator("tr", { hasText: complaint.number }).click();
    await page.locator("[data-test=approve]").click();
    await page.getByRole("button", { name: "确认批准" }).click();
    await expect.poll(() => page.locator("[data-test=status]").innerText()).toContain("已解决");
    await shot(page, "10-complaint-approved");
    const detail = await rig.s.http.get(`/api/v1/staff/complaints/${complaint.id}`).set("authorization", manager.auth).expect(200);
    expect(detail.body.approval.status).toBe("approved");
    expect(detail.body.status).toBe("resolved");
    await page.close();
  }, 60_000);

  it("an agent hands a complaint to a colleague chosen by name and work number; the new owner is on the card", async () => {
    const colleague = await rig.s.loginStaff("agent", 1);
    const other = await rig.s.loginMember("console-handover");
    const filed = await rig.s.http.post("/api/v1/complaints").set("authorization", other.auth).send({ category: "price", content: "结算单比报价多了两百元", demand: "refund" }).expect(201);
    const page = await rig.newPage();
    await signIn(page, rig.base, agent.username);
    await page.goto(`${rig.base}/console/complaints/${filed.body.id}`);
    await page.locator("[data-test=take]").click();
    await expect.poll(() => page.locator(".t-descriptions").innerText()).toContain("测试agent");
    await page.getByRole("button", { name: "转交" }).click();
    await page.locator("[data-test=handover-to]").click();
    await page.getByText(`编号 ${String(colleague.id).padStart(4, "0")}`).click();
    await page.getByRole("button", { name: "转交", exact: true }).last().click();
    await expect.poll(async () => (await rig.s.http.get(`/api/v1/staff/complaints/${filed.body.id}`).set("authorization", manager.auth)).body.owner?.id).toBe(colleague.id);
    await shot(page, "11-complaint-handed-over");
    await page.close();
  }, 60_000);
});
