import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { T } from "../../bot/texts.js";
import { Complaint } from "../../server/complaints/complaints.entity.js";
import { BotHarness } from "./harness.js";

describe("the complaint dialog, the survey and the human handoff through the bot", () => {
  let h: BotHarness;
  let agent: Awaited<ReturnType<BotHarness["bindStaff"]>>;
  beforeAll(async () => {
    h = await BotHarness.start();
    agent = await h.bindStaff("客服甲", "agent", 1);
    await h.s.http.put("/api/v1/staff/complaint-duty").set("Authorization", agent.auth).send({ onDuty: true, team: "technical" }).expect(200);
  });
  afterAll(() => h.close());

  it("binds staff with their own code and tells them how to answer", () => {
    expect(agent.reply).toContain("#编号 回复内容");
  });

  it("files a complaint step by step, survives a bot restart in the middle, and hands the member to its owner", async () => {
    const { member } = await h.bindMember("投诉人", "bot-complainer");
    expect(await h.ask("投诉人", "投诉")).toEqual([T.complaintAsk]);
    expect(await h.ask("投诉人", "上周保养后发动机一直有异响，回去看了两次还没修好")).toEqual([T.complaintCategory]);
    expect(await h.ask("投诉人", "2")).toEqual([T.complaintDemand]);
    await h.restart(); // a brand-new bot process: the dialog is on the server
    const [confirm] = await h.ask("投诉人", "3");
    expect(confirm).toBe(T.complaintConfirm("维修质量", "返修处理", "上周保养后发动机一直有异响，回去看了两次还没修好"));
    const [filed] = await h.ask("投诉人", "确认");
    const number = /编号 (TS\d{8}-\d{4})/.exec(filed)![1];
    const row = await h.s.t.db.read((m) => m.findOneByOrFail(Complaint, { number }));
    expect(row).toMatchObject({ memberId: member.id, channel: "bot", category: "repair_quality", demand: "repair", ownerStaffId: agent.id });
    expect(filed).toContain(T.complaintHandoff);
    // the owner hears of it on WeChat
    expect(await h.received("客服甲", `[#${number}]`)).toContain("请求人工服务");
    expect(await h.ask("投诉人", "投诉进度")).toEqual([]); // a human owns the conversation now: relayed, no bot answer
  });

  it("relays both ways while the handoff is open, stays silent itself, and answers FAQs again once the agent ends it", async () => {
    const row = await h.s.t.db.read((m) => m.findOneOrFail(Complaint, { where: { channel: "bot" }, order: { id: "DESC" } }));
    const tag = row.number;
    // the member's line (the 投诉进度 above and this one) reaches the agent, the bot says nothing to the member
    expect(await h.ask("投诉人", "车现在还在店里吗？")).toEqual([]);
    expect(await h.received("客服甲", "车现在还在店里吗？")).toMatch(new RegExp(`^\\[#${tag}\\] \\S+\\*\\* \\(.+\\)：车现在还在店里吗？$`));
    // the agent answers with #tag; the bot confirms to the agent and the outbox carries it to the member
    expect(await h.ask("客服甲", `#${tag} 您好，车在店里，技师下午复检`)).toEqual([`已转达给客户（#${tag}）`]);
    expect(await h.received("投诉人", "技师下午复检")).toBe("【人工客服】您好，车在店里，技师下午复检");
    const thread = await h.s.http.get(`/api/v1/staff/complaints/${row.id}`).set("Authorization", agent.auth);
    expect(JSON.stringify(thread.body)).toContain("技师下午复检");
    // a tag with no open conversation is answered by the server's word, not relayed anywhere
    expect(await h.ask("客服甲", "#TS19990101-0001 您好")).toEqual([expect.stringContaining("没有找到进行中的会话")]);
    // an agent's ordinary message is not a reply: the bot treats it as a question
    expect(await h.ask("客服甲", "你们几点营业")).toEqual([expect.stringContaining("8:30–18:00")]);
    expect(await h.ask("客服甲", `#${tag} 结束`)).toEqual([`已结束会话 #${tag}`]);
    expect(await h.received("投诉人", "人工服务已结束")).toContain("人工服务已结束");
    expect(await h.ask("投诉人", "你们几点营业")).toEqual([expect.stringContaining("8:30–18:00")]);
  });

  it("opens a handoff on 人工 and keeps quiet while the agent owns the conversation", async () => {
    await h.bindMember("求助人", "bot-human");
    expect(await h.ask("求助人", "人工")).toEqual([T.handoffOpened]);
    expect(await h.ask("求助人", "我的车什么时候能修好")).toEqual([]);
    expect(await h.ask("求助人", "你们几点营业")).toEqual([]); // no FAQ during a handoff
  });

  it("answers the waiting satisfaction survey with a rating and solved or not", async () => {
    const { member } = await h.bindMember("评价人", "bot-survey");
    await h.ask("评价人", "投诉");
    await h.ask("评价人", "换的刹车片三天就异响，要求重新检查");
    await h.ask("评价人", "2");
    await h.ask("评价人", "1");
    const [filed] = await h.ask("评价人", "确认");
    const number = /编号 (TS\d{8}-\d{4})/.exec(filed)![1];
    const c = await h.s.t.db.read((m) => m.findOneByOrFail(Complaint, { number }));
    // the owner ends the chat and resolves the complaint (the aftercare tests cover resolving itself)
    expect(await h.ask("客服甲", `#${number} 结束`)).toEqual([`已结束会话 #${number}`]);
    const resolved = await h.s.http.post(`/api/v1/staff/complaints/${c.id}/resolve`).set("Authorization", agent.auth).send({ reply: "已更换刹车片并复检，向您致歉", investigation: { cause: "配件批次问题", course: "更换后异响", responsible: "配件部", conclusion: "属实", corrective: "重新更换", preventive: "入库抽检" } });
    expect(resolved.status, JSON.stringify(resolved.body)).toBeLessThan(300);
    expect(await h.ask("评价人", "投诉进度")).toEqual([expect.stringContaining("发送「评价」")]);
    expect(await h.ask("评价人", "评价")).toEqual([T.surveyRating(number)]);
    expect(await h.ask("评价人", "5")).toEqual([T.surveySolved]);
    expect(await h.ask("评价人", "已解决")).toEqual([T.surveyThanks]);
    expect(await h.ask("评价人", "评价")).toEqual([T.surveyNone]);
    expect((await h.s.t.db.read((m) => m.findOneByOrFail(Complaint, { id: c.id }))).memberId).toBe(member.id);
  });
});
