import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATABASE_KINDS } from "../helpers/databases.js";
import { startMiniprogram, tap, textOf, until } from "../helpers/miniprogram.js";
import { agentOnDuty, albumPhoto, fileAsMember, ownerAgent, png, resolveAs, staffReply, typeInto } from "./complaint-fixtures.js";
import { memberOf } from "./fixtures.js";

describe.each(DATABASE_KINDS)("投诉详情: thread, reply, resolution and survey on %s", (kind) => {
  let mp: Awaited<ReturnType<typeof startMiniprogram>>;
  let member: Awaited<ReturnType<typeof memberOf>>;
  let agent: { auth: string; id: number };
  let id: number;
  let memberPhotoId: number;
  const query = (sql: string, params: unknown[] = []) => mp.api.t.dataSource.query(sql, params);
  const signature = () => `客服 ${String(agent.id).padStart(4, "0")}`;
  beforeAll(async () => {
    mp = await startMiniprogram(kind, { openid: "demo-member-2" }); // 李女士, 沪AD23456
    member = await memberOf(mp.api, "demo-member-2");
    agent = await agentOnDuty(mp.api, member.storeId);
    const up = await mp.api.http.post("/api/v1/complaints/photos").set("Authorization", member.auth).attach("file", png(200), { filename: "IMG_1.png", contentType: "image/png" }).expect(201);
    memberPhotoId = up.body.id;
    id = (await fileAsMember(mp.api, member.auth, { category: "waiting_time", content: "约了 9 点保养，等到 11 点才开始", demand: "explanation", photoIds: [memberPhotoId] })).id;
    await ownerAgent(mp.api, agent, id);
  }, 60_000);
  afterAll(() => mp.close());

  async function renderDetail(complaintId = id) {
    const comp = mp.render("pages/complaints/detail", { id: String(complaintId) });
    await until(() => !comp.data.loading, "the complaint");
    return comp;
  }
  const photoFile = (comp: ReturnType<typeof mp.render>, photoId: number) => comp.data.photoPaths[photoId] as string | undefined;

  it("shows the card with its photo (downloaded with the token), the promise in words and a reply box before any answer", async () => {
    const comp = await renderDetail();
    await until(() => photoFile(comp, memberPhotoId), "the photo");
    const text = textOf(comp);
    expect(text).toMatch(/^等待时间已受理，24 小时内答复编号 TS\d{8}-\d{4} · \d{4}-\d{2}-\d{2} \d{2}:\d{2}/);
    expect(text).toContain("约了 9 点保养，等到 11 点才开始");
    expect(text).toContain("您的要求：给予解释");
    expect(text).toContain("车牌：沪AD23456");
    expect(text).toContain("客服还未回复，我们会在 24 小时内答复您");
    expect(comp.querySelector("#reply-box")).toBeTruthy();
    expect(comp.querySelector("#send-reply").data.disabled, "nothing typed").toBe(true);
    expect(comp.querySelector("#survey")).toBeFalsy();
    expect(readFileSync(photoFile(comp, memberPhotoId)!)).toEqual(png(200));
    const download = mp.wx.requests.find((r) => r.method === "DOWNLOAD" && r.url.endsWith(`/api/v1/complaints/${id}/photos/${memberPhotoId}`));
    expect(download!.header.Authorization).toMatch(/^Bearer /);
  });

  it("shows the staff reply signed 客服 <number> (never the name) with its photo", async () => {
    const [staffPhoto] = await staffReply(mp.api, agent.auth, id, "您好，已调取当天排班记录，确认是技师临时请假导致延误，非常抱歉。", png(60));
    const comp = await renderDetail();
    await until(() => photoFile(comp, staffPhoto), "the staff photo");
    console.log(comp.dom.innerHTML);
    const text = textOf(comp);
    expect(text).toContain("客服已答复，正在处理");
    expect(text).toMatch(new RegExp(`${signature()} · \\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}您好，已调取当天排班记录`));
    expect(text).not.toContain("测试agent");
    expect(readFileSync(photoFile(comp, staffPhoto)!)).toEqual(png(60));
  });

  it("sends the member's reply with a photo from the reply box; it joins the thread and the database", async () => {
    const comp = await renderDetail();
    typeInto(comp, "#reply", "那下次预约能保证准时吗？");
    await until(() => !comp.querySelector("#send-reply").data.disabled, "send enabled");
    mp.wx.chosenMedia = [albumPhoto(99, "IMG_0100.png")];
    tap(comp, "#add-reply-photo");
    await until(() => comp.data.replyPhotos.length === 1 && !comp.data.uploading, "the reply photo");
    expect(textOf(comp)).toContain("照片 1/3");
    tap(comp, "#send-reply");
    await until(() => comp.data.messages.length === 2, "the reply in the thread");
    expect(mp.wx.toasts).toContain("已发送，客服会尽快回复您");
    expect(comp.data.reply).toBe("");
    expect(textOf(comp)).toMatch(/我 · \d{4}-\d{2}-\d{2} \d{2}:\d{2}那下次预约能保证准时吗？/);
    const [message] = await query("SELECT id, authorType, body FROM complaint_message WHERE complaintId = ? AND authorType = 'member'", [id]);
    expect(message.body).toBe("那下次预约能保证准时吗？");
    const photos = await query("SELECT id FROM complaint_photo WHERE messageId = ?", [message.id]);
    expect(photos).toHaveLength(1);
    await until(() => photoFile(comp, photos[0].id), "the reply photo shown from the server");
  });

  it("after resolution shows the result and the survey: 提交评价 waits for stars and solved-or-not; answered once, then the answer and no form", async () => {
    await resolveAs(mp.api, agent.auth, id, "已安排专属顾问，下次预约提前一天电话确认。", { type: "points", points: 200 });
    const list = mp.render("pages/complaints/index");
    await until(() => !list.data.list.loading && list.data.list.items.length, "我的投诉");
    expect(textOf(list)).toContain("已处理完成，请评价");
    expect(textOf(list)).toContain("处理已完成，点此评价");
    const comp = await renderDetail();
    console.log(comp.dom.innerHTML);
    let text = textOf(comp);
    expect(text).toContain("已处理完成，请评价");
    expect(text).toContain("处理结果已安排专属顾问，下次预约提前一天电话确认。");
    expect(text).toContain("补偿 200 积分，已存入您的积分账户");
    expect(text).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} 处理完成/);
    expect(text).toContain("请评价本次处理");
    const submit = () => comp.querySelector("#submit-survey").data.disabled as boolean;
    expect(submit()).toBe(true);
    // the stars measure themselves with the component's own selector query, which the simulator leaves empty: the change event t-rate raises
    comp.querySelector("#rating").instance.triggerEvent("change", { value: 4 });
    await until(() => comp.data.rating === 4, "four stars");
    expect(textOf(comp)).toContain("满意");
    expect(submit(), "solved not chosen").toBe(true);
    tap(comp, "#solved-yes");
    await until(() => !submit(), "submit enabled");
    typeInto(comp, "#comment", "处理很及时");
    await until(() => comp.data.comment === "处理很及时");
    tap(comp, "#submit-survey");
    tap(comp, "#submit-survey");
    await until(() => comp.data.complaint.survey.answered, "the answer");
    text = textOf(comp);
    expect(text).toContain("您的评价4 星（满意）· 问题已解决 · 处理很及时");
    expect(text).toContain("已办结");
    expect(text).toContain("该投诉已办结，如有新的问题请重新提交投诉");
    expect(comp.querySelector("#survey")).toBeFalsy();
    expect(comp.querySelector("#reply-box")).toBeFalsy();
    const [row] = await query("SELECT satisfactionRating, satisfactionSolved, satisfactionComment, status FROM complaint WHERE id = ?", [id]);
    expect([Number(row.satisfactionRating), Boolean(Number(row.satisfactionSolved)), row.satisfactionComment, row.status]).toEqual([4, true, "处理很及时", "closed"]);
    expect(mp.wx.toasts.filter((t) => t === "感谢您的评价")).toHaveLength(1);
    const again = await renderDetail();
    expect(again.querySelector("#submit-survey"), "not offered a second time").toBeFalsy();
    expect(textOf(again)).toContain("您的评价4 星（满意）· 问题已解决 · 处理很及时");
  });

  it("shows the failure with 重试 when the server cannot be reached, and loads on 重试", async () => {
    mp.services("request").setBaseUrl("http://127.0.0.1:9");
    const comp = mp.render("pages/complaints/detail", { id: String(id) });
    try {
      await until(() => !comp.data.loading, "the failed load");
      expect(textOf(comp)).toContain("网络不给力，请检查网络后重试");
    } finally {
      mp.services("request").setBaseUrl(mp.url);
    }
    tap(comp, "#retry");
    await until(() => comp.data.complaint, "the complaint after 重试");
    expect(textOf(comp)).toContain("约了 9 点保养，等到 11 点才开始");
  });

  it("says so when the complaint is not the member's or does not exist", async () => {
    const comp = await renderDetail(999_999);
    expect(textOf(comp)).toContain("没有找到这条投诉");
    const none = mp.render("pages/complaints/detail", {});
    await until(() => !none.data.loading);
    expect(textOf(none)).toContain("没有找到这条投诉");
  });
});
