import { describe, expect, it } from "vitest";
import { ApiError } from "../../bot/api-client.js";
import { commandOf } from "../../bot/commands.js";
import { replyTo } from "../../bot/replies.js";
import { restartDelay } from "../../bot/service.js";
import { ReplyLimiter } from "../../bot/pacing.js";
import { T } from "../../bot/texts.js";
import { fakeApi } from "./fake-api.js";

const member = { type: "member" as const, memberId: 1, maskedName: "张**", tierName: "金卡" };
const say = (api: ReturnType<typeof fakeApi>["api"], text: string, inGroup = false) => replyTo(api, { contactId: "wx-1", text, inGroup });

describe("the bot's replies without a puppet (fake API)", () => {
  it("knows its commands however they are typed: full-width, Traditional, punctuation, case", () => {
    expect(commandOf("積分")).toBe("points");
    expect(commandOf(" 积分？")).toBe("points");
    expect(commandOf("ｔｄ")).toBe("optOut");
    expect(commandOf("預約")).toBe("bookings");
    expect(commandOf("投訴進度")).toBe("complaintStatus");
    expect(commandOf("评价 5 已解决")).toBe("survey");
    expect(commandOf("积分怎么兑换")).toBeNull(); // a question, for the FAQ
    expect(commandOf("评价一下你们的服务")).toBeNull();
  });

  it("answers 积分 with balance, tier and what expires, dated in Shanghai time", async () => {
    const f = fakeApi({}, { binding: member });
    const reply = await say(f.api, "积分");
    expect(reply).toContain("1280 分");
    expect(reply).toContain("金卡");
    expect(reply).toContain("200 分将于 2026-12-31");
  });

  it("asks unbound contacts to bind, and tells them how", async () => {
    const f = fakeApi({ points: async () => Promise.reject(new ApiError(403, "BOT_NOT_BOUND", "x")) });
    expect(await say(f.api, "积分")).toContain("绑定微信客服");
    expect(f.called("points")).toHaveLength(0); // known unbound: no call at all
  });

  it("asks an unbound contact on 人工 to bind first, with the stores' phones as the other way", async () => {
    const f = fakeApi();
    const reply = await say(f.api, "人工");
    expect(reply).toContain("绑定微信客服");
    expect(reply).toContain("浦东店 021-58880001");
    expect(f.called("openHandoff")).toHaveLength(0);
  });

  it("never shows data in a group and never binds there", async () => {
    const f = fakeApi({}, { binding: member });
    expect(await say(f.api, "积分", true)).toBe(T.privacy);
    expect(await say(f.api, "投诉", true)).toBe(T.privacy);
    expect(await say(f.api, "123456", true)).toBe(T.privateCode);
    expect(f.called("points")).toHaveLength(0);
    expect(f.called("bind")).toHaveLength(0);
  });

  it("relays everything while a handoff is open and says nothing itself", async () => {
    const f = fakeApi({}, { binding: member, handoff: { id: 3, tag: "H3", complaintId: null } });
    expect(await say(f.api, "积分")).toBeNull();
    expect(f.called("relay").map((c) => c.args)).toEqual([["wx-1", "积分"]]);
    await say(f.api, "长".repeat(2500)); // longer than the server takes: cut, not refused
    expect(f.called("relay")[1].args[1]).toBe("长".repeat(2000));
  });

  it("tells the agent a picture came during a handoff, and answers no sticker or photo otherwise", async () => {
    const f = fakeApi({}, { binding: member, handoff: { id: 3, tag: "H3", complaintId: null } });
    expect(await replyTo(f.api, { contactId: "wx-1", text: "[图片]", inGroup: false, media: true })).toBeNull();
    expect(f.called("relay")[0].args[1]).toBe("[图片]（非文字消息，机器人无法转发其内容）");
    const g = fakeApi({}, { binding: member });
    expect(await replyTo(g.api, { contactId: "wx-1", text: "[表情]", inGroup: false, media: true })).toBeNull();
    expect(g.called("matchFaq")).toHaveLength(0);
  });

  it("passes an agent's #tag line to the server and answers with the server's word", async () => {
    const f = fakeApi({ agentMessage: async () => ({ handled: true, reply: "已转达给客户（#H3）" }) }, { binding: { type: "staff", staffId: 2, name: "李客服", role: "agent" } });
    expect(await say(f.api, "#H3 您好")).toBe("已转达给客户（#H3）");
  });

  it("explains a wrong bind code with the tries left, and a lock with its end", async () => {
    const wrong = fakeApi({ bind: async () => Promise.reject(new ApiError(409, "BIND_CODE_INVALID", "x", { attemptsLeft: 3 })) });
    expect(await say(wrong.api, "123456")).toContain("还可尝试 3 次");
    const locked = fakeApi({ bind: async () => Promise.reject(new ApiError(423, "BIND_LOCKED", "x", { lockedUntil: "2026-12-02T07:30:00.000Z" })) });
    expect(await say(locked.api, "123456")).toContain("15:30");
  });

  it("walks the complaint dialog with the state on the server and files it with codes", async () => {
    const f = fakeApi({}, { binding: member });
    expect(await say(f.api, "投诉")).toBe(T.complaintAsk);
    expect(await say(f.api, "差")).toBe(T.complaintTooShort);
    expect(await say(f.api, "保养后发动机有异响，师傅态度也不好")).toBe(T.complaintCategory);
    expect(await say(f.api, "9")).toBe(T.pickNumber(7));
    expect(await say(f.api, "2")).toBe(T.complaintDemand);
    expect(await say(f.api, "返修处理")).toContain("类别：维修质量");
    expect(f.dialog()).toMatchObject({ kind: "complaint", step: "confirm", category: "repair_quality", demand: "repair" });
    expect(await say(f.api, "确认")).toContain("TS20261202-0001");
    expect(f.called("fileComplaint")[0].args[0]).toEqual({ contactId: "wx-1", category: "repair_quality", content: "保养后发动机有异响，师傅态度也不好", demand: "repair", requestId: expect.stringMatching(/^dlg-/) });
    expect(f.called("openHandoff")[0].args[0]).toEqual({ contactId: "wx-1", complaintId: 7 });
    expect(f.dialog()).toBeNull();
  });

  it("leaves any dialog on 取消", async () => {
    const f = fakeApi({}, { binding: member, dialog: { kind: "complaint", step: "category", content: "很长的描述内容" } });
    expect(await say(f.api, "取消")).toBe(T.cancelled);
    expect(f.dialog()).toBeNull();
  });

  it("answers the survey in one message or step by step", async () => {
    const open = { id: 9, number: "TS1", statusText: "已处理完成，请评价", createdAt: "2026-12-01T00:00:00Z", surveyOpen: true };
    const f = fakeApi({ complaints: async () => ({ items: [open] }) }, { binding: member });
    expect(await say(f.api, "评价 5 已解决")).toBe(T.surveyThanks);
    expect(f.called("survey")[0].args[0]).toEqual({ contactId: "wx-1", complaintId: 9, rating: 5, solved: true });
    expect(await say(f.api, "评价")).toBe(T.surveyRating("TS1"));
    expect(await say(f.api, "2")).toBe(T.surveySolved);
    expect(await say(f.api, "未解决")).toBe(T.surveyReopened);
    expect(f.called("survey")[1].args[0]).toMatchObject({ rating: 2, solved: false });
  });

  it("offers FAQ choices, keeps them in the dialog and answers the one picked; a new question drops them", async () => {
    const choices = [{ id: "a", question: "保养多少钱" }, { id: "b", question: "保养周期" }, { id: "c", question: "保养预约" }];
    const f = fakeApi({
      matchFaq: async (q) => (q === "保养" ? { kind: "choices", choices } : { kind: "none" }),
    });
    expect(await say(f.api, "保养")).toBe(T.chooseFaq(choices.map((c) => c.question)));
    expect(await say(f.api, "2")).toBe("answer of b");
    expect(f.dialog()).toBeNull();
    await say(f.api, "保养");
    expect(await say(f.api, "随便问问")).toContain(T.notUnderstood);
    expect(f.dialog()).toBeNull();
  });

  it("says the FAQ is unavailable rather than failing when the matcher cannot be reached", async () => {
    const f = fakeApi({ matchFaq: async () => Promise.reject(new ApiError(503, "DB_UNAVAILABLE", "x")) });
    expect(await say(f.api, "营业时间")).toBe(T.faqUnavailable);
  });

  it("backs off restarts exponentially up to the cap, and limits replies per conversation", () => {
    const config = { restartBaseMs: 2000, restartMaxMs: 300_000 };
    expect([0, 1, 2, 3].map((a) => restartDelay(config, a, () => 1))).toEqual([2000, 4000, 8000, 16000]);
    expect(restartDelay(config, 20, () => 1)).toBe(300_000);
    expect(restartDelay(config, 0, () => 0)).toBe(1600);
    let now = 0;
    const limiter = new ReplyLimiter(2, () => now);
    expect([limiter.take("a"), limiter.take("a"), limiter.take("a"), limiter.take("b")]).toEqual([true, true, false, true]);
    now = 61_000;
    expect(limiter.take("a")).toBe(true);
  });
});
