import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ADMIN_PASSWORD } from "../helpers/app.js";
import { describeBrowser, openMenu, shot, signIn, startConsoleRig, type ConsoleRig } from "./browser.js";

const TABLETS = [
  { name: "landscape", width: 1024, height: 768 },
  { name: "portrait", width: 768, height: 1024 },
];

/** How far the page is wider than the window (0 when nothing scrolls sideways). */
const sidewaysOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** Elements of the content area that stick out past its right edge (tables scroll inside themselves and don't count). */
const stickingOut = (page: Page) =>
  page.evaluate(() => {
    const content = document.querySelector<HTMLElement>(".t-layout__content");
    if (!content) return ["no content area"];
    const right = content.getBoundingClientRect().right + 1;
    return [...content.querySelectorAll<HTMLElement>("*")]
      .filter((el) => el.getBoundingClientRect().width > 0 && el.getBoundingClientRect().right > right && !el.closest(".t-table__content, .t-tabs__nav-scroll, canvas"))
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} right=${Math.round(el.getBoundingClientRect().right)}`);
  });

/** Opens a page from the side menu, unfolding the menu first when it is folded away (portrait). */
async function goTo(page: Page, title: string) {
  const toggle = page.getByRole("button", { name: "菜单" });
  if (await toggle.isVisible()) await toggle.click();
  await openMenu(page, title);
}

describeBrowser("console on a tablet at the desk (1024×768 landscape, 768×1024 portrait)", () => {
  let rig: ConsoleRig;
  beforeAll(async () => {
    rig = await startConsoleRig();
  }, 240_000);
  afterAll(async () => rig?.close());

  for (const tablet of TABLETS) {
    it(`every page an admin can open fits a ${tablet.width}-wide screen without sideways scrolling (${tablet.name})`, async () => {
      const page = await rig.newPage();
      await page.setViewportSize({ width: tablet.width, height: tablet.height });
      await signIn(page, rig.base, "admin", ADMIN_PASSWORD);
      const titles = await page.locator(".t-menu .t-menu__item").allTextContents();
      expect(titles).toContain("报表");
      const problems: string[] = [];
      for (const title of titles.map((t) => t.trim())) {
        await goTo(page, title);
        await page.locator(".page-title", { hasText: title }).first().waitFor();
        await page.waitForLoadState("networkidle");
        const overflow = await sidewaysOverflow(page);
        const out = await stickingOut(page);
        if (overflow > 0 || out.length) problems.push(`${title}: ${overflow}px sideways; ${out.join(", ")}`);
        await shot(page, `tablet-${tablet.name}-${title}`);
      }
      expect(problems).toEqual([]);
      await page.close();
    }, 120_000);
  }

  it("in portrait the menu folds away behind a button and comes back, so the page gets the width", async () => {
    const page = await rig.newPage();
    await page.setViewportSize({ width: 768, height: 1024 });
    await signIn(page, rig.base, "admin", ADMIN_PASSWORD);
    const menu = page.locator(".t-menu .t-menu__item", { hasText: "报表" });
    await expect.poll(() => menu.isVisible()).toBe(false);
    const content = await page.locator(".t-layout__content").boundingBox();
    expect(content?.width).toBeGreaterThan(700);
    await page.getByRole("button", { name: "菜单" }).click();
    await menu.click();
    await page.locator(".page-title", { hasText: "报表" }).waitFor();
    await expect.poll(() => menu.isVisible()).toBe(false); // choosing a page folds it again
    await shot(page, "tablet-portrait-menu");
    await page.close();
  }, 60_000);
});
