import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import type { Wechaty } from "wechaty";
import { createApiClient } from "../../bot/api-client.js";
import { buildBot } from "../../bot/main.js";
import { HELP } from "../../bot/replies.js";
import { startTestApp, type TestApp } from "../helpers/app.js";

type Said = { talker(): { id: string }; text(): string };
// The mock contacts and rooms are event emitters at run time; their typings leave `on` out.
const listenTo = (target: unknown, listener: (msg: Said) => void) => (target as { on(event: "message", l: (msg: Said) => void): void }).on("message", listener);

describe("the chatbot on the Wechaty mock puppet, talking to a real API", () => {
  let s: TestApp;
  let server: Server;
  let bot: Wechaty;
  let mocker: mock.Mocker;
  let botUser: mock.ContactMock;

  beforeAll(async () => {
    s = await startTestApp("sqlite");
    server = createServer(s.app.callback());
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const api = createApiClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    mocker = new mock.Mocker();
    bot = buildBot({ name: "test-bot", api, puppet: new PuppetMock({ mocker }) });
    bot.on("error", () => undefined);
    await bot.start();
    botUser = mocker.createContact({ name: "门店助手" });
    mocker.login(botUser);
  });
  afterAll(async () => {
    await bot.stop();
    await new Promise((resolve) => server.close(resolve));
    await s.close();
  });

  /** A member says `text` to the bot (directly or in a room, mentioning it) and waits for the bot's reply. */
  function ask(text: string, room?: mock.RoomMock, member = mocker.createContact({ name: "车主" })) {
    return new Promise<string[]>((resolve) => {
      // resolves at the bot's first reply, or with nothing after 2 s of silence
      const timer = setTimeout(() => resolve([]), 2000);
      const listener = (msg: Said) => {
        if (msg.talker().id !== botUser.id) return;
        clearTimeout(timer);
        resolve([msg.text()]);
      };
      listenTo(room ?? member, listener);
      if (room) member.say(text, [botUser]).to(room);
      else member.say(text).to(botUser);
    });
  }

  it("answers 门店 with the stores the API lists", async () => {
    const [reply] = await ask("你们门店在哪");
    expect(reply).toContain("星途汽车4S店（浦东店）");
    expect(reply).toContain("021-58880001");
  });

  it("answers 服务 with the service types and durations", async () => {
    const [reply] = await ask("有哪些服务项目");
    expect(reply).toContain("保养（约 60 分钟）");
  });

  it("shows the menu for what it does not know in a direct chat, and stays silent in a group unless mentioned", async () => {
    expect(await ask("随便说点什么")).toEqual([HELP]);
    const member = mocker.createContact({ name: "群友" });
    const room = mocker.createRoom({ topic: "车主群", memberIdList: [member.id, botUser.id] });
    const unmentioned: string[] = [];
    listenTo(room, (msg) => {
      if (msg.talker().id === botUser.id) unmentioned.push(msg.text());
    });
    member.say("门店在哪").to(room);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(unmentioned).toEqual([]);
    const [reply] = await ask("门店电话", room, member);
    expect(reply).toContain("我们的门店");
  });
});
