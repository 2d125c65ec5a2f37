import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handoffBusyNotices } from "../../../server/bot/bot.jobs.js";
import { ComplaintMessage } from "../../../server/complaints/complaints.entity.js";
import { deliverDue } from "../../../server/notify/deliver.js";
import { OutboxMessage } from "../../../server/notify/notify.entity.js";
import { shanghaiInstant } from "../../../server/stores/calendar.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { agentOnDuty, fileAsMember } from "../../helpers/complaints.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { keepBotOnline, NOTIFY_ENV } from "../../helpers/notify.js";
import { bot, boundMember, boundStaff, outboxTo } from "./bot.fixtures.js";

describe.each(DATABASE_KINDS)("human handoff through the bot on %s", (kind) => {
  let s: TestApp;
  let agent: Awaited<ReturnType<typeof boundStaff>>;
  beforeAll(async () => {
    s = await startTestApp(kind, NOTIFY_ENV);
    s.clock.set(shanghaiInstant("2026-11-25", "10:00")); // a Wednesday, stores open
    await keepBotOnline(s);
    agent = await boundStaff(s, await agentOnDuty(s, 1));
  });
  afterAll(() => s.close());
  const chatLines = async (to: { memberId: number } | { staffId: number }) => {
    await deliverDue(s.deps, s.clock.now());
    return (await outboxTo(s, to, "chat_relay")).map((x) => ({ text: (JSON.parse(x.payload) as { text: string }).text, contactId: x.contactId, channel: x.channel }));
  };
  const say = (contactId: string, text: string) => bot(s, "/agent/message", { contactId, text }).expect(200);

  it("人工 opens a handoff to an on-duty agent; lines go both ways through the outbox as chat_relay to the right contacts; #tag 结束 closes it", async () => {
    const m = await boundMember(s);
    const tierName = (await bot(s, "/context", { contactId: m.contactId })).body.binding.tierName;
    const opened = await bot(s, "/handoffs/open", { contactId: m.contactId, text: "我要找人工" });
    expect(opened.status).toBe(201);
    const tag = `H${opened.body.id}`;
    expect(opened.body).toEqual({ id: expect.any(Number), tag, complaintId: null, status: "open", assigned: true, agentStaffId: agent.id, openedAt: s.clock.now().toISOString(), expectReplyBy: new Date(s.clock.now().getTime() + 600_000).toISOString(), firstAgentReplyAt: null, closedAt: null });
    expect((await bot(s, "/handoffs/open", { contactId: m.contactId })).body.id).toBe(opened.body.id); // one open handoff per member
    expect((await bot(s, "/context", { contactId: m.contactId })).body.handoff).toEqual({ id: opened.body.id, tag, complaintId: null });
    await bot(s, "/handoffs/relay", { contactId: m.contactId, text: "车还有异响" }).expect(200, { relayed: true });
    const toAgent = await chatLines({ staffId: agent.id });
    expect(toAgent).toEqual([
      { text: `[#${tag}] 张** (${tierName}) 请求人工服务：我要找人工\n回复「#${tag} 内容」答复客户，「#${tag} 结束」结束本次服务。`, contactId: agent.contactId, channel: "bot" },
      { text: `[#${tag}] 张** (${tierName})：车还有异响`, contactId: agent.contactId, channel: "bot" },
    ]);
    expect((await say(agent.contactId, `#${tag.toLowerCase()} 您好，请问是哪个位置？`)).body).toEqual({ handled: true, reply: `已转达给客户（#${tag}）` });
    expect((await say(agent.contactId, "今天天气不错")).body).toEqual({ handled: false });
    expect((await say(m.contactId, `#${tag} 冒充客服`)).body).toEqual({ handled: false }); // a member is not an agent
    expect((await say(agent.contactId, "#H999999 你好")).body).toEqual({ handled: true, reply: "没有找到进行中的会话 #H999999，请核对编号" });
    expect((await say(agent.contactId, `#${tag} 结束`)).body).toEqual({ handled: true, reply: `已结束会话 #${tag}` });
    expect(await chatLines({ memberId: m.member.id })).toEqual([
      { text: "【人工客服】您好，请问是哪个位置？", contactId: m.contactId, channel: "bot" },
      { text: "本次人工服务已结束，感谢您的耐心。如还有问题，回复“人工”可再次联系客服。", contactId: m.contactId, channel: "bot" },
    ]);
    expect((await bot(s, "/context", { contactId: m.contactId })).body.handoff).toBeNull();
    expect((await bot(s, "/handoffs/relay", { contactId: m.contactId, text: "还在吗" })).body.error.code).toBe("HANDOFF_NOT_FOUND");
    expect((await say(agent.contactId, `#${tag} 结束`)).body).toEqual({ handled: true, reply: `没有找到进行中的会话 #${tag}，请核对编号` });
    const detail = await s.http.get(`/api/v1/staff/handoffs/${opened.body.id}`).set("Authorization", agent.auth).expect(200);
    expect(detail.body.messages.map((x: { from: string; body: string }) => [x.from, x.body])).toEqual([["member", "我要找人工"], ["member", "车还有异响"], ["staff", "您好，请问是哪个位置？"]]);
    expect(detail.body).toMatchObject({ status: "closed", member: { maskedName: "张**" } });
  });

  it("a complaint's handoff goes to its owner, writes into the complaint's thread and tells each side once", async () => {
    const m = await boundMember(s, "王五");
    const filed = await bot(s, "/member/complaints/file", { contactId: m.contactId, category: "price", content: "收费比报价高", demand: "refund" }).expect(201);
    const opened = await bot(s, "/handoffs/open", { contactId: m.contactId, complaintId: filed.body.id }).expect(201);
    expect(opened.body).toMatchObject({ tag: filed.body.number, complaintId: filed.body.id, assigned: true, agentStaffId: agent.id });
    await bot(s, "/handoffs/relay", { contactId: m.contactId, text: "多收了两百" }).expect(200);
    expect((await say(agent.contactId, `#${filed.body.number} 已核实，将退还差价`)).body.handled).toBe(true);
    const thread = await s.t.db.read((mm) => mm.find(ComplaintMessage, { where: { complaintId: filed.body.id }, order: { id: "ASC" } }));
    expect(thread.map((x) => [x.authorType, x.body])).toEqual([["member", "多收了两百"], ["staff", "已核实，将退还差价"]]);
    // the complaint's own notices of these two lines are cancelled: the conversation carried them
    const dupes = await s.t.db.read((mm) => mm.find(OutboxMessage, { where: [{ kind: "complaint_member_reply", staffId: agent.id }, { kind: "complaint_reply", memberId: m.member.id }] }));
    expect(dupes.map((x) => x.status)).toEqual(["cancelled", "cancelled"]);
    expect((await chatLines({ memberId: m.member.id })).map((x) => x.text)).toEqual(["【人工客服】已核实，将退还差价"]);
    const complaint = await s.http.get(`/api/v1/staff/complaints/${filed.body.id}`).set("Authorization", agent.auth).expect(200);
    expect(complaint.body.status).toBe("responded");
  });

  it("the accused neither receives nor can see or answer the handoff of a complaint about them; another agent answers from the console and so takes the queued complaint", async () => {
    const accused = await boundStaff(s, await agentOnDuty(s, 2)); // the only agent on duty in store 2
    const manager = await s.loginStaff("manager", 2);
    const { auth, member, contactId } = await boundMember(s, "赵六");
    const tierName = (await bot(s, "/context", { contactId })).body.binding.tierName;
    const filed = await fileAsMember(s, auth, { staffId: accused.id, storeId: 2 });
    const opened = await bot(s, "/handoffs/open", { contactId, complaintId: filed.id, text: "投诉他本人" }).expect(201);
    expect(opened.body).toMatchObject({ assigned: false, agentStaffId: null, tag: filed.number });
    expect(await outboxTo(s, { staffId: accused.id }, "chat_relay")).toEqual([]);
    // nobody else on duty: the store's managers hear of it, the accused does not
    expect((await outboxTo(s, { staffId: manager.id }, "staff_alert")).map((x) => JSON.parse(x.payload).text)).toEqual([`会员 赵** (${tierName}) 请求人工服务（#${filed.number}），当前没有值班客服，请在后台“人工会话”中处理。`]);
    expect(await outboxTo(s, { staffId: accused.id }, "staff_alert")).toEqual([]);
    const list = await s.http.get("/api/v1/staff/handoffs?status=open").set("Authorization", accused.auth).expect(200);
    expect(list.body.items.map((h: { id: number }) => h.id)).not.toContain(opened.body.id);
    expect((await s.http.get(`/api/v1/staff/handoffs/${opened.body.id}`).set("Authorization", accused.auth)).body.error.code).toBe("HANDOFF_NOT_FOUND");
    expect((await s.http.post(`/api/v1/staff/handoffs/${opened.body.id}/replies`).set("Authorization", accused.auth).send({ body: "我来解释" })).status).toBe(404);
    expect((await say(accused.contactId, `#${filed.number} 我来解释`)).body).toEqual({ handled: true, reply: `没有找到进行中的会话 #${filed.number}，请核对编号` });
    const other = await s.loginStaff("agent", 2);
    const listed = await s.http.get("/api/v1/staff/handoffs").set("Authorization", other.auth).expect(200);
    expect(listed.body.items.find((h: { id: number }) => h.id === opened.body.id)).toMatchObject({ tag: filed.number, member: { id: member.id, maskedName: "赵**" }, assigned: false });
    const replied = await s.http.post(`/api/v1/staff/handoffs/${opened.body.id}/replies`).set("Authorization", other.auth).send({ body: "您好，我是门店客服" });
    expect(replied.status, JSON.stringify(replied.body)).toBe(201);
    expect(replied.body).toMatchObject({ agentStaffId: other.id, messages: [{ from: "member", body: "投诉他本人" }, { from: "staff", body: "您好，我是门店客服" }] });
    expect((await chatLines({ memberId: member.id })).map((x) => [x.text, x.contactId])).toEqual([["【人工客服】您好，我是门店客服", contactId]]);
    // answering took the queued complaint too
    expect((await s.http.get(`/api/v1/staff/complaints/${filed.id}`).set("Authorization", other.auth).expect(200)).body).toMatchObject({ status: "responded", owner: { id: other.id } });
    await s.http.post(`/api/v1/staff/handoffs/${opened.body.id}/close`).set("Authorization", other.auth).expect(200);
    expect((await s.http.post(`/api/v1/staff/handoffs/${opened.body.id}/close`).set("Authorization", other.auth)).body.error.code).toBe("HANDOFF_CLOSED");
    expect((await s.http.get("/api/v1/staff/handoffs?status=closed").set("Authorization", other.auth)).body.items[0]).toMatchObject({ id: opened.body.id, status: "closed" });
  });

  it("tells the member once when no agent answered within 10 minutes, with the store's closing time", async () => {
    const quiet = await boundMember(s, "孙七");
    const answered = await boundMember(s, "周八");
    const a = await bot(s, "/handoffs/open", { contactId: quiet.contactId }).expect(201);
    const b = await bot(s, "/handoffs/open", { contactId: answered.contactId }).expect(201);
    await say(agent.contactId, `#${b.body.tag} 马上为您处理`);
    s.clock.advance(9 * 60_000);
    expect(await handoffBusyNotices(s.t.db, s.clock.now())).toEqual({ notified: 0 });
    s.clock.advance(60_000);
    expect(await handoffBusyNotices(s.t.db, s.clock.now())).toEqual({ notified: 1 });
    expect(await handoffBusyNotices(s.t.db, s.clock.now())).toEqual({ notified: 0 });
    s.clock.advance(60_000);
    expect(await handoffBusyNotices(s.t.db, s.clock.now())).toEqual({ notified: 0 });
    const lines = await chatLines({ memberId: quiet.member.id });
    expect(lines).toHaveLength(1);
    expect(lines[0].text).toMatch(/^客服暂时忙碌，我们会在今天 \d\d:\d\d前回复您，请耐心等待。$/);
    expect((await chatLines({ memberId: answered.member.id })).map((x) => x.text)).toEqual(["【人工客服】马上为您处理"]);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it("unbound contacts cannot open a handoff; bad input is a coded 4xx", async () => {
    expect((await bot(s, "/handoffs/open", { contactId: "wxid-nobody" })).body.error.code).toBe("BOT_NOT_BOUND");
    expect((await bot(s, "/handoffs/relay", { contactId: "wxid-nobody", text: "" })).body.error.code).toBe("VALIDATION_FAILED");
    expect((await bot(s, "/agent/message", { contactId: "x", text: "x".repeat(2001) })).body.error.code).toBe("VALIDATION_FAILED");
    expect((await s.http.get("/api/v1/staff/handoffs/2147483648").set("Authorization", agent.auth)).body.error.code).toBe("VALIDATION_FAILED");
    expect((await s.http.get("/api/v1/staff/handoffs?status=maybe").set("Authorization", agent.auth)).body.error.code).toBe("VALIDATION_FAILED");
  });
});
