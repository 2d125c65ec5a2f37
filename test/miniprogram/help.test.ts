import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startMiniprogram, tap, textOf, until } from "../helpers/miniprogram.js";

type Comp = ReturnType<Awaited<ReturnType<typeof startMiniprogram>>["render"]>;

describe.each(DATABASE_KINDS)("帮助 on %s", (kind) => {
  let mp: Awaited<ReturnType<typeof startMiniprogram>>;
  let faqs: { id: string; question: string; answer: string }[];
  beforeAll(async () => {
    mp = await startMiniprogram(kind, { openid: "demo-member-1" });
    faqs = (await mp.api.http.get("/api/v1/faq/items").expect(200)).body.items;
  }, 60_000);
  afterAll(() => mp.close());

  async function renderHelp() {
    const comp = mp.render("pages/help/index");
    await until(() => !comp.data.loading, "帮助");
    return comp;
  }
  /** Types the question and taps 搜索, as the member does. */
  async function search(comp: Comp, q: string) {
    comp.querySelector("#search").querySelector(".t-input__keyword").dispatchEvent("input", { detail: { value: q, cursor: q.length } });
    await until(() => comp.data.q === q, "the typed question");
    const before = mp.wx.requests.length;
    comp.querySelector("#search").querySelector(".t-search__search-action").dispatchEvent("tap");
    await until(() => mp.wx.requests.length > before && !comp.data.searching && comp.data.result, `the answer to ${q}`);
  }

  it("lists the top questions of the knowledge base; a tap shows the answer, another hides it", async () => {
    expect(faqs.length).toBeGreaterThan(8);
    const comp = await renderHelp();
    console.log(comp.dom.innerHTML);
    const text = textOf(comp);
    expect(text).toContain("常见问题");
    for (const faq of faqs.slice(0, 8)) expect(text).toContain(faq.question);
    expect(text).not.toContain(faqs[8].question);
    expect(text).not.toContain(faqs[0].answer);
    expect(text).toContain("联系人工客服");
    comp.querySelector("#top-0").querySelector(".t-cell").dispatchEvent("tap");
    await until(() => textOf(comp).includes(faqs[0].answer), "the answer");
    comp.querySelector("#top-0").querySelector(".t-cell").dispatchEvent("tap");
    await until(() => !textOf(comp).includes(faqs[0].answer), "hidden again");
  });

  it("answers a question in other words through the server's matcher", async () => {
    const comp = await renderHelp();
    await search(comp, "几点开门");
    const text = textOf(comp);
    expect(text).toContain("你们门店几点营业？");
    expect(text).toContain("浦东店和闵行店每天 8:30–18:00 营业");
    expect(text).toContain("没有解决？联系人工");
    const call = mp.wx.requests.find((r) => r.url.endsWith("/api/v1/faq/match"));
    expect(call!.data).toEqual({ q: "几点开门" });
  });

  it("offers choices for a vague question; the one tapped is answered from the FAQ itself", async () => {
    const comp = await renderHelp();
    await search(comp, "时间");
    expect(textOf(comp)).toContain("您想问的是：");
    expect(comp.data.result.choices.map((c: { id: string }) => c.id)).toEqual(["booking_change", "store_hours", "maintenance_cycle"]);
    expect(textOf(comp)).toContain("预约可以改时间或取消吗？你们门店几点营业？多久保养一次？");
    comp.querySelector("#choice-2").querySelector(".t-cell").dispatchEvent("tap");
    await until(() => comp.data.result.kind === "answer", "the picked answer");
    expect(mp.wx.requests.at(-1)!.url).toMatch(/\/api\/v1\/faq\/items\/maintenance_cycle$/);
    expect(textOf(comp)).toContain("一般每 5000 公里或半年保养一次");
  });

  it("says it found nothing for an unrelated question and offers 联系人工: the bot binding code and the stores' phones", async () => {
    const comp = await renderHelp();
    await search(comp, "火星天气怎么样");
    expect(textOf(comp)).toContain("没有找到相关问题，换个说法试试，或联系人工客服。");
    tap(comp, "#none-contact");
    await until(() => comp.data.contactOpen && !comp.data.contactLoading, "the contact options");
    const stores = (await mp.api.http.get("/api/v1/stores").expect(200)).body as { name: string; phone: string | null }[];
    let text = textOf(comp);
    console.log(comp.dom.innerHTML);
    for (const store of stores.filter((s) => s.phone)) expect(text).toContain(`${store.name}`), expect(text).toContain(store.phone!);
    expect(text).toContain("绑定微信客服（获取绑定码）");
    tap(comp, "#bind-code");
    await until(() => comp.data.bindCode, "the code");
    text = textOf(comp);
    expect(comp.data.bindCode).toMatch(/^\d{6}$/);
    expect(text).toMatch(new RegExp(`绑定码 ${comp.data.bindCode}\\d{2}:\\d{2} 前有效，请在微信中把绑定码发给门店客服号`));
    expect(text).toContain("重新获取绑定码");
    comp.querySelector(".store").querySelector(".t-cell").dispatchEvent("tap");
    await until(() => mp.wx.phoneCalls.length, "the call");
    expect(mp.wx.phoneCalls).toEqual([stores.find((s) => s.phone)!.phone]);
  });

  it("greets back without a search result of its own, and shows the failure with 重试 when the server cannot be reached", async () => {
    const comp = await renderHelp();
    await search(comp, "你好");
    expect(textOf(comp)).toContain("您好！请直接输入您的问题");
    expect(textOf(comp)).not.toContain("回复“人工”");
    mp.services("request").setBaseUrl("http://127.0.0.1:9");
    try {
      const down = mp.render("pages/help/index");
      await until(() => !down.data.loading, "the failed load");
      expect(textOf(down)).toContain("网络不给力，请检查网络后重试");
      expect(textOf(down)).toContain("重试");
    } finally {
      mp.services("request").setBaseUrl(mp.url);
    }
  });
});
