import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { T } from "../../bot/texts.js";
import { BotHarness } from "./harness.js";

// The bot tests run on SQLite only: they test the bot process; the server's endpoints are tested on both databases in test/server.
describe("the chatbot on the Wechaty mock puppet, talking to a real API", () => {
  let h: BotHarness;
  let manager: string;
  beforeAll(async () => {
    h = await BotHarness.start();
    manager = (await h.s.loginStaff("manager", 1)).auth;
  });
  afterAll(() => h.close());

  it("answers FAQs, Traditional and full-width input too, and invites unbound people to bind on a greeting", async () => {
    expect(await h.ask("路人甲", "你们几点营业")).toEqual([expect.stringContaining("8:30–18:00")]);
    expect(await h.ask("路人甲", "你們幾點營業？")).toEqual([expect.stringContaining("8:30–18:00")]);
    const [greeting] = await h.ask("路人甲", "你好");
    expect(greeting).toContain("您好");
    expect(greeting).toContain("绑定微信客服");
    expect(await h.ask("路人甲", "谢谢")).toEqual([expect.stringContaining("不客气")]);
  });

  it("offers numbered choices in the middle band and answers the number picked; a new question drops the choices", async () => {
    const [choices] = await h.ask("路人乙", "时间");
    expect(choices).toMatch(/^您是想问以下哪个问题？请回复序号：\n1\. .+\n2\. .+\n3\. .+$/);
    const second = /\n2\. (.+)\n/.exec(choices)![1];
    const [answer] = await h.ask("路人乙", "2");
    const kb = (await h.s.http.get("/api/v1/staff/faqs/export").set("Authorization", manager).expect(200)).body as { faqs: { question: string; answer: string }[] };
    expect(answer).toBe(kb.faqs.find((f) => f.question === second)!.answer);
    await h.ask("路人乙", "时间");
    expect(await h.ask("路人乙", "门店地址")).toEqual([expect.stringContaining("张杨路")]);
    expect(await h.ask("路人乙", "2")).not.toEqual([answer]); // the choices are gone
  });

  it("says it did not understand, offers 人工 and the binding, and logs the miss for staff", async () => {
    const [reply] = await h.ask("路人丙", "量子力学怎么学");
    expect(reply).toContain("人工");
    expect(reply).toContain("绑定微信客服");
    const misses = await h.s.http.get("/api/v1/staff/faq/misses").set("Authorization", manager).expect(200);
    expect(JSON.stringify(misses.body)).toContain("量子力学");
  });

  it("binds a member with the mini-program's code; the code is single use; member commands work afterwards", async () => {
    const { reply, auth } = await h.bindMember("车主甲", "demo-member-1");
    expect(reply).toContain("绑定成功");
    expect((await h.s.http.get("/api/v1/me/bot-binding").set("Authorization", auth).expect(200)).body.bound).toBe(true);
    expect(await h.ask("车主甲", "123456")).toEqual([T.alreadyBound]);
    expect(await h.ask("车主甲", "帮助")).toEqual([T.menu]);
  });

  it("locks binding after 5 wrong codes and says until when", async () => {
    const replies: string[] = [];
    for (let i = 0; i < 6; i++) replies.push(...(await h.ask("试码人", String(100000 + i))));
    expect(replies.slice(0, 4).every((r) => r.includes("绑定码不正确"))).toBe(true);
    expect(replies[5]).toContain("尝试次数过多");
    const login = await h.s.loginMember("bot-locked");
    const code = await h.s.http.post("/api/v1/me/bot-binding/code").set("Authorization", login.auth);
    expect(await h.ask("试码人", code.body.code)).toEqual([expect.stringContaining("尝试次数过多")]); // even the right code while locked
  });

  it("answers 积分 with balance, tier and what expires soon", async () => {
    const { member } = await h.bindMember("车主乙", "bot-points");
    await h.s.http.post("/api/v1/staff/points/adjustments").set("Authorization", manager).send({ memberId: member.id, delta: 520, reason: "活动赠送" }).expect(200);
    const [reply] = await h.ask("车主乙", "积分");
    expect(reply).toMatch(/^[^\n]+\*\*，您的积分余额：520 分，会员等级：\S+。\n/);
    expect(await h.ask("车主乙", "積分？")).toEqual([reply]); // Traditional, with punctuation
  });

  it("lists usable coupons with their codes", async () => {
    const { member } = await h.bindMember("车主丙", "bot-coupons");
    expect(await h.ask("车主丙", "券")).toEqual([T.noCoupons]);
    const template = await h.s.http.post("/api/v1/staff/coupon-templates").set("Authorization", manager).send({ name: "保养抵扣券", kind: "cash", valueFen: 5000, validDays: 30, totalStock: 10, channel: "staff" }).expect(201);
    const agent = (await h.s.loginStaff("agent", 1)).auth;
    const issued = await h.s.http.post("/api/v1/staff/coupons/issue").set("Authorization", agent).send({ templateId: template.body.id, memberCode: member.memberCode, note: "测试" }).expect(201);
    const [reply] = await h.ask("车主丙", "优惠券");
    expect(reply).toContain("保养抵扣券");
    expect(reply).toContain(`券码：${issued.body.code}`);
  });

  it("answers 预约 with the next bookings or the mini-program path, 投诉进度 with none yet", async () => {
    await h.bindMember("车主丁", "bot-bookings");
    expect(await h.ask("车主丁", "预约")).toEqual([T.noBookings("pages/bookings/index")]);
    expect(await h.ask("车主丁", "投诉进度")).toEqual([T.noComplaints]);
    expect(await h.ask("车主丁", "评价")).toEqual([T.surveyNone]);
  });

  it("opts out of marketing on TD, and unbinds on 解绑 (then member commands ask to bind again)", async () => {
    const { auth } = await h.bindMember("车主戊", "bot-td");
    expect(await h.ask("车主戊", "TD")).toEqual([T.optOut]);
    expect((await h.s.http.get("/api/v1/me/preferences").set("Authorization", auth).expect(200)).body.marketingOptOut).toBe(true);
    expect(await h.ask("车主戊", "解绑")).toEqual([T.unbound]);
    expect((await h.s.http.get("/api/v1/me/bot-binding").set("Authorization", auth).expect(200)).body.bound).toBe(false);
    expect(await h.ask("车主戊", "积分")).toEqual([`${T.needBinding}${T.invite}`]);
  });

  it("in a group answers only when @-mentioned, never shows data there and asks to chat privately", async () => {
    await h.bindMember("群成员", "bot-group");
    const member = h.contact("群成员");
    const room = h.room("车主群", [member]);
    expect(await h.ask(member, "你们几点营业", { room, mention: false })).toEqual([]);
    expect(await h.ask(member, "你们几点营业", { room })).toEqual([expect.stringContaining("8:30–18:00")]);
    for (const cmd of ["积分", "券", "预约", "投诉", "人工"]) expect(await h.ask(member, cmd, { room })).toEqual([expect.stringContaining(T.privacy)]);
    const code = await h.s.http.post("/api/v1/me/bot-binding/code").set("Authorization", (await h.s.loginMember("bot-group-2")).auth);
    expect(await h.ask(member, code.body.code, { room })).toEqual([expect.stringContaining(T.privateCode)]);
  });
});
