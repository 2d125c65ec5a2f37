import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeBrowser, openMenu, shot, signIn, startConsoleRig, type ConsoleRig } from "./browser.js";

describeBrowser("console: a service advisor at the desk", () => {
  let rig: ConsoleRig;
  let advisor: { auth: string; username: string };
  let manager: { auth: string };
  let memberCode: string;

  beforeAll(async () => {
    rig = await startConsoleRig();
    advisor = await rig.s.loginStaff("advisor", 1);
    manager = await rig.s.loginStaff("manager", 1);
    memberCode = (await rig.s.loginMember("demo-member-1")).member.memberCode;
  }, 240_000);
  afterAll(async () => rig?.close());

  it("loads the login page with under 500 KB of gzipped JavaScript and shows the server's refusal", async () => {
    const page = await rig.newPage();
    const scripts: string[] = [];
    page.on("response", (res) => res.request().resourceType() === "script" && scripts.push(res.url()));
    await page.goto(`${rig.base}/console/`);
    await page.getByRole("button", { name: "登录" }).waitFor();
    await page.waitForLoadState("networkidle");
    let gzipBytes = 0;
    for (const url of scripts) gzipBytes += gzipSync(Buffer.from(await (await fetch(url)).arrayBuffer())).length;
    console.log(`login page: ${scripts.length} scripts, ${(gzipBytes / 1024).toFixed(1)} KB gzip`);
    expect(scripts.length).toBeGreaterThan(0);
    expect(gzipBytes).toBeLessThan(500 * 1024);

    await page.getByPlaceholder("用户名").fill(advisor.username);
    await page.getByPlaceholder("密码").fill("wrong-password-1");
    await page.getByRole("button", { name: "登录" }).click();
    await expect.poll(() => page.locator("[data-test=login-error]").innerText()).toContain("用户名或密码错误");
    await shot(page, "01-login-refused");

    // a separate account, locked after its fifth wrong password: the server's lock-out words appear
    const lockee = await rig.s.loginStaff("advisor", 1);
    await page.getByPlaceholder("用户名").fill(lockee.username);
    for (let i = 0; i < 5; i++) {
      await page.getByPlaceholder("密码").fill(`wrong-password-${i}`);
      await page.getByRole("button", { name: "登录" }).click();
      await expect.poll(() => page.locator("[data-test=login-error]").innerText()).toMatch(i < 4 ? `还可尝试 ${4 - i} 次` : "已锁定");
    }
    expect(await page.getByPlaceholder("用户名").inputValue()).toBe(lockee.username);
    await shot(page, "01b-login-locked");
    await page.close();
  });

  it("opens 工作台 in under a second, measured in the browser", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, advisor.username);
    await page.goto(`${rig.base}/console/dashboard`);
    await page.waitForSelector("[data-test=dashboard-ready]");
    const ms = await page.evaluate(() => performance.now());
    console.log(`工作台 ready ${ms.toFixed(0)} ms after navigation start`);
    expect(ms).toBeLessThan(1000);
    await expect.poll(() => page.locator("[data-test=bookings]").innerText()).toContain("今日本店预约");
    await expect.poll(() => page.locator("[data-test=inbox]").innerText()).toContain("未读消息");
    await shot(page, "02-dashboard-advisor");
    await page.close();
  });

  it("finds demo-member-1 by a scanned member code and opens the archive after the reason prompt", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, advisor.username);
    await openMenu(page, "会员");
    // a barcode scanner types the code and presses Enter
    await page.locator("[data-test=member-lookup] input").pressSequentially(memberCode.toLowerCase());
    await page.keyboard.press("Enter");
    await page.getByText("查阅会员完整档案会记录").waitFor();
    await page.getByText("其他").click();
    await page.locator("[data-test=reason-other] input").fill("客户到店咨询保养");
    await page.getByRole("button", { name: "查阅" }).click();
    await expect.poll(() => page.locator("[data-test=archive]").innerText()).toContain("沪A12345");
    expect(await page.locator("[data-test=archive]").innerText()).toContain("138****8001");
    await page.locator(".t-dialog__mask").waitFor({ state: "hidden" }).catch(() => {});
    await shot(page, "03-member-archive");
    const logs = await rig.s.http.get("/api/v1/staff/access-logs").set("authorization", manager.auth).expect(200);
    expect(JSON.stringify(logs.body)).toContain("客户到店咨询保养");
    await page.close();
  });

  it("redeems a coupon by its code with the result in large text, and a second try shows the server's reason", async () => {
    const template = await rig.s.http.post("/api/v1/staff/coupon-templates").set("authorization", manager.auth)
      .send({ name: "保养代金券50元", kind: "cash", valueFen: 5000, totalStock: 10, channel: "staff", validDays: 30 }).expect(201);
    const issued = await rig.s.http.post("/api/v1/staff/coupons/issue").set("authorization", manager.auth)
      .send({ templateId: template.body.id, memberCode, note: "到店补发" });
    expect(issued.status).toBeLessThan(300);
    const page = await rig.newPage();
    await signIn(page, rig.base, advisor.username);
    await openMenu(page, "核销");
    await page.locator("[data-test=coupon-code] input").fill(`CPN:${issued.body.code}`);
    await page.locator("[data-test=order-no] input").fill("WO20261202001");
    await page.locator("[data-test=redeem-coupon]").click();
    const result = page.locator("[data-test=redeem-result]");
    await expect.poll(() => result.innerText()).toContain("核销成功：保养代金券50元");
    expect(await result.innerText()).toContain("¥50.00");
    expect(await result.locator(".big-result").evaluate((el) => parseFloat(getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(28);
    await shot(page, "04-redeem-ok");

    await page.locator("[data-test=coupon-code] input").fill(issued.body.code);
    await page.locator("[data-test=redeem-coupon]").click();
    await expect.poll(() => result.innerText()).toContain("核销失败");
    expect(await result.innerText()).toContain("已于");
    expect(await page.locator("[data-test=coupon-code] input").inputValue()).toBe(issued.body.code);
    await shot(page, "05-redeem-used");
    await page.close();
  });

  it("sends an expired session to the login page and back to where it was", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, advisor.username);
    // the token in sessionStorage no longer passes (as after expiry or a password change)
    await page.evaluate(() => {
      const saved = JSON.parse(sessionStorage.getItem("console.session")!);
      sessionStorage.setItem("console.session", JSON.stringify({ ...saved, token: "expired.token.value" }));
    });
    await page.goto(`${rig.base}/console/complaints?tab=all`);
    await page.waitForURL(/\/console\/login\?redirect=/);
    await page.getByPlaceholder("用户名").fill(advisor.username);
    await page.getByPlaceholder("密码").fill("staff-pass-123");
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(/\/console\/complaints\?tab=all$/);
    await page.getByText("投诉工作台").first().waitFor();
    await page.close();
  });

  it("does not show or open the manager-only 补偿审批 page for an advisor", async () => {
    const page = await rig.newPage();
    await signIn(page, rig.base, advisor.username);
    const menu = await page.locator(".t-menu").innerText();
    expect(menu).toContain("核销");
    expect(menu).not.toContain("补偿审批");
    await page.goto(`${rig.base}/console/approvals`);
    await page.getByText("无权访问").first().waitFor();
    expect(page.url()).toContain("/console/forbidden");
    await shot(page, "06-forbidden");
    await page.close();
  });
});
