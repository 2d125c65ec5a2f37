import { createInterface } from "node:readline";
import type { Wechaty, WechatyOptions } from "wechaty";
import { PuppetMock, mock } from "wechaty-puppet-mock";
import type { ApiClient } from "./api-client.js";
import type { BotConfig } from "./config.js";
import { runBot, stopOnSignals } from "./service.js";

type Said = { talker(): { id: string }; text(): string };
// the mock contacts and rooms are event emitters at run time; their typings leave `on` out
const listenTo = (target: unknown, listener: (msg: Said) => void) => (target as { on(event: "message", l: (msg: Said) => void): void }).on("message", listener);

const HELP = [
  "直接输入文字 = 以当前联系人身份私聊机器人",
  "/contact 名字   切换联系人（不存在则新建）",
  "/as staff | /as member   切换到「店员」或「车主」",
  "/group 文字     在车主群里 @机器人 说话",
  "/quit           退出",
].join("\n");

/**
 * `npm run bot -- --console`: the same bot, handlers, heartbeat and outbox loop on wechaty-puppet-mock,
 * with a prompt where you type as a contact. Contacts get fixed ids (console-<name>), so a binding made
 * in one session holds in the next. With --jsonl (tests) there is no prompt: the contacts named by
 * --contacts=a,b exist and every message the bot sends them is one JSON line on stdout.
 */
type BuildBot = (options: { name: string; api: ApiClient; puppet: WechatyOptions["puppet"] }) => Wechaty;

export async function runConsole(config: BotConfig, api: ApiClient, buildBot: BuildBot, options: { jsonl: boolean }): Promise<void> {
  const mocker = new mock.Mocker();
  const botUser = mocker.createContact({ id: "console-bot", name: "门店助手" });
  const contacts = new Map<string, mock.ContactMock>();
  const print = options.jsonl ? (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`) : null;

  function contact(id: string, name = id): mock.ContactMock {
    let c = contacts.get(id);
    if (!c) {
      c = mocker.createContact({ id, name, friend: true });
      const self = c;
      listenTo(c, (msg) => {
        if (msg.talker().id !== botUser.id) return;
        if (print) print({ event: "received", to: id, text: msg.text() });
        else console.log(`\n机器人 → ${self.payload.name}：\n${msg.text()}\n`);
      });
      contacts.set(id, c);
    }
    return c;
  }

  if (options.jsonl) {
    console.log = console.error; // stdout carries only the JSON lines
    const ids = process.argv.find((a) => a.startsWith("--contacts="))?.slice(11).split(",").filter(Boolean) ?? [];
    for (const id of ids) contact(id); // before the login: the outbox loop starts claiming at once
  }
  const bot = buildBot({ name: config.name, api, puppet: new PuppetMock({ mocker }) });
  bot.on("login", () => void print?.({ event: "ready" }));
  bot.on("start", () => void setTimeout(() => mocker.login(botUser), 0));
  const running = await runBot(config, api, () => bot, { onSettled: (m, result) => print?.({ event: "settled", id: m.id, result }) });
  stopOnSignals(running);

  if (options.jsonl) return;
  let current = contact("console-车主", "车主");
  const group = mocker.createRoom({ id: "console-group@chatroom", topic: "车主群", memberIdList: [current.id, botUser.id] });
  listenTo(group, (msg) => {
    if (msg.talker().id === botUser.id) console.log(`\n机器人 → 车主群：\n${msg.text()}\n`);
  });
  console.log(`控制台模式（wechaty-puppet-mock，接口 ${config.apiBaseUrl}）\n${HELP}\n`);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: "" });
  const prompt = () => rl.setPrompt(`${current.payload.name}> `);
  prompt();
  rl.prompt();
  rl.on("line", (line) => {
    const text = line.trim();
    if (text === "/quit") return void running.stop().finally(() => process.exit(0));
    if (text === "/help") console.log(HELP);
    else if (text === "/as staff") current = contact("console-店员", "店员");
    else if (text === "/as member") current = contact("console-车主", "车主");
    else if (text.startsWith("/contact ")) current = contact(`console-${text.slice(9).trim()}`, text.slice(9).trim());
    else if (text.startsWith("/group ")) {
      if (!(group.payload.memberIdList ?? []).includes(current.id)) group.payload.memberIdList.push(current.id);
      current.say(`@门店助手 ${text.slice(7)}`, [botUser]).to(group);
    } else if (text) current.say(text).to(botUser);
    prompt();
    setTimeout(() => rl.prompt(), 300);
  });
  rl.on("close", () => void running.stop().finally(() => process.exit(0)));
}
