import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startMiniprogram, tap, textOf, until } from "../helpers/miniprogram.js";
import { agentOnDuty, albumPhoto, bookFirstFreeSlot, png, typeInto } from "./complaint-fixtures.js";
import { memberOf } from "./fixtures.js";

type Comp = ReturnType<Awaited<ReturnType<typeof startMiniprogram>>["render"]>;
const pick = (comp: Comp, selector: string, index: number) => comp.querySelector(selector).dispatchEvent("change", { detail: { value: String(index) } });
const disabled = (comp: Comp, selector: string) => comp.querySelector(selector).data.disabled as boolean;

describe.each(DATABASE_KINDS)("投诉与建议 and 我的投诉 on %s", (kind) => {
  let mp: Awaited<ReturnType<typeof startMiniprogram>>;
  let member: Awaited<ReturnType<typeof memberOf>>;
  const query = (sql: string, params: unknown[] = []) => mp.api.t.dataSource.query(sql, params);
  beforeAll(async () => {
    mp = await startMiniprogram(kind, { openid: "demo-member-1" }); // 张先生, one car 沪A12345
    member = await memberOf(mp.api, "demo-member-1");
    await agentOnDuty(mp.api, member.storeId);
  }, 60_000);
  afterAll(() => mp.close());

  async function renderForm(q: Record<string, string> = {}) {
    const comp = mp.render("pages/complaints/new", q);
    await until(() => !comp.data.loading, "the form");
    return comp;
  }

  it("我的投诉 is empty before the first complaint and offers to file one", async () => {
    const comp = mp.render("pages/complaints/index");
    await until(() => !comp.data.list.loading, "the list");
    const text = textOf(comp);
    expect(text).toContain("提交投诉与建议");
    expect(text).toContain("还没有投诉与建议，有不满意的地方请告诉我们");
    tap(comp, "#new");
    await until(() => mp.wx.navigations.length, "navigation");
    expect(mp.wx.navigations.at(-1)).toEqual({ kind: "navigateTo", url: "/pages/complaints/new" });
  });

  it("the form lists the member's car and booking, keeps 提交 disabled until category, what happened and the demand are given, and takes at most 3 photos", async () => {
    const [car] = (await mp.api.http.get("/api/v1/me/assets").set("Authorization", member.auth).expect(200)).body;
    const booking = await bookFirstFreeSlot(mp.api, member.auth, car.id, member.storeId);
    const comp = await renderForm();
    console.log(comp.dom.innerHTML);
    const text = textOf(comp);
    for (const words of ["类别", "请选择", "经过", "您的要求", "涉及车辆或预约不涉及具体车辆或预约", "照片（最多 3 张）", "添加照片 0/3", "我们会在 24 小时内答复"]) expect(text).toContain(words);
    expect(comp.data.subjectLabels.slice(0, 2)).toEqual(["不涉及具体车辆或预约", "车辆 沪A12345 · 星途 揽月 2.0T"]);
    expect(comp.data.subjectLabels[2]).toMatch(/^预约 \d{4}-\d{2}-\d{2} \d{2}:\d{2} \S+ · 沪A12345$/);
    // opened from a booking (?bookingId=), the form starts on that booking
    const fromBooking = await renderForm({ bookingId: String(booking.id) });
    expect(textOf(fromBooking)).toContain(`涉及车辆或预约${comp.data.subjectLabels[2]}`);
    expect(disabled(comp, "#submit")).toBe(true);
    pick(comp, "#category", 0);
    typeInto(comp, "#content", "洗车后后座有水渍");
    await until(() => comp.data.content, "the text");
    expect(disabled(comp, "#submit"), "no demand yet").toBe(true);
    pick(comp, "#demand", 1);
    await until(() => !disabled(comp, "#submit"), "submit enabled");
    // the required mark renders as "&nbsp;*" under the simulator
    expect(textOf(comp)).toMatch(/类别(&nbsp;)?\s*\*服务态度/);
    expect(textOf(comp)).toMatch(/您的要求(&nbsp;)?\s*\*赔礼道歉/);

    mp.wx.chosenMedia = [albumPhoto(10), albumPhoto(20), albumPhoto(30), albumPhoto(40)];
    tap(comp, "#add-photo");
    await until(() => comp.data.photos.length === 3 && !comp.data.uploading, "three uploads");
    expect(comp.querySelector("#add-photo"), "no add button at 3").toBeFalsy();
    expect(mp.wx.requests.filter((r) => r.method === "UPLOAD")).toHaveLength(3);
    comp.querySelector(".remove").dispatchEvent("tap");
    await until(() => comp.data.photos.length === 2, "one removed");
    expect(textOf(comp)).toContain("添加照片 2/3");
    // the member closes the picker: nothing changes
    tap(comp, "#add-photo");
    await until(() => !comp.data.uploading);
    expect(comp.data.photos).toHaveLength(2);
  });

  it("files a complaint with a photo once on a double tap, asks consent for the result notice in the tap, and opens it", async () => {
    const comp = await renderForm({ assetId: "0" });
    pick(comp, "#category", 1); // 维修质量
    typeInto(comp, "#content", "上周保养后发动机有异响，回店检查说正常，但开起来还是响");
    pick(comp, "#demand", 2); // 返修处理
    pick(comp, "#subject", 1);
    const photo = albumPhoto(77, "IMG_0042.png");
    mp.wx.chosenMedia = [photo];
    tap(comp, "#add-photo");
    await until(() => comp.data.photos.length === 1 && comp.data.ready, "the photo and a ready form");
    expect(comp.querySelector(".thumb").getAttribute?.("src") ?? comp.data.photos[0].path).toContain("IMG_0042.png");
    const asks = mp.wx.subscribeAsks.length;
    tap(comp, "#submit");
    tap(comp, "#submit");
    await until(() => mp.wx.navigations.at(-1)?.kind === "redirectTo", "the complaint's page");
    const url = mp.wx.navigations.at(-1)!.url;
    expect(url).toMatch(/^\/pages\/complaints\/detail\?id=\d+$/);
    expect(mp.wx.subscribeAsks.slice(asks)).toEqual([["tmpl-complaint-resolved"]]);
    expect(mp.wx.toasts.at(-1)).toMatch(/^已提交，编号 TS\d{8}-\d{4}$/);

    const rows = await query("SELECT id, category, demand, content, assetId, plate, channel FROM complaint WHERE memberId = ?", [member.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ category: "repair_quality", demand: "repair", plate: "沪A12345", channel: "miniprogram" });
    expect(Number(rows[0].assetId)).toBeGreaterThan(0);
    expect(url.endsWith(`id=${rows[0].id}`)).toBe(true);
    const photos = await query("SELECT id, complaintId, messageId, uploaderType FROM complaint_photo WHERE complaintId = ?", [rows[0].id]);
    expect(photos).toHaveLength(1);
    expect(photos[0]).toMatchObject({ uploaderType: "member", messageId: null });
    // the bytes the phone sent are the ones the member reads back
    const back = await mp.api.http.get(`/api/v1/complaints/${rows[0].id}/photos/${photos[0].id}`).set("Authorization", member.auth).buffer(true).parse((res, done) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => done(null, Buffer.concat(parts)));
    });
    expect(Buffer.compare(back.body as Buffer, readFileSync(photo))).toBe(0);
    expect(Buffer.compare(back.body as Buffer, png(77))).toBe(0);
  });

  it("我的投诉 lists it with category, status in words (no SLA figures), number and time; a tap opens it", async () => {
    const comp = mp.render("pages/complaints/index");
    await until(() => !comp.data.list.loading && comp.data.list.items.length, "the list");
    const text = textOf(comp);
    console.log(comp.dom.innerHTML);
    expect(text).toContain("维修质量");
    expect(text).toContain("已受理，24 小时内答复");
    expect(text).toContain("上周保养后发动机有异响，回店检查说正常，但开起来还是响");
    expect(text).toMatch(/TS\d{8}-\d{4} · \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(text).not.toMatch(/超时|截止|到期/);
    expect(text).toContain("没有更多了");
    const id = comp.data.list.items[0].id;
    comp.querySelector(`#complaint-${id}`).dispatchEvent("tap");
    await until(() => mp.wx.navigations.at(-1)?.kind === "navigateTo", "navigation");
    expect(mp.wx.navigations.at(-1)).toEqual({ kind: "navigateTo", url: `/pages/complaints/detail?id=${id}` });
  });

  it("a refused filing keeps what the member wrote and shows the server's message", async () => {
    const comp = await renderForm();
    pick(comp, "#category", 0);
    typeInto(comp, "#content", "   ");
    pick(comp, "#demand", 0);
    await until(() => comp.data.demandIndex === 0);
    expect(disabled(comp, "#submit"), "blank text").toBe(true);
    typeInto(comp, "#content", "前台态度不好");
    await until(() => comp.data.ready);
    mp.services("request").setBaseUrl("http://127.0.0.1:9");
    tap(comp, "#submit");
    await until(() => mp.wx.toasts.at(-1) === "网络不给力，请检查网络后重试", "the network toast");
    await until(() => !comp.data.submitting);
    expect(comp.data.content).toBe("前台态度不好");
    const list = mp.render("pages/complaints/index");
    await until(() => !list.data.list.loading, "the failed list");
    expect(textOf(list)).toContain("网络不给力，请检查网络后重试");
    expect(textOf(list)).toContain("重试");
    mp.services("request").setBaseUrl(mp.url);
  });
});
