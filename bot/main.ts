import { WechatyBuilder, type Message, type Wechaty, type WechatyOptions } from "wechaty";
import { createApiClient, type ApiClient } from "./api-client.js";
import { loadBotConfig } from "./config.js";
import { replyTo } from "./replies.js";

/** Builds the bot with named handlers, like Wechaty's ding-dong example; the puppet comes from config or a test. */
export function buildBot(options: { name: string; api: ApiClient; puppet: WechatyOptions["puppet"] }): Wechaty {
  const bot = WechatyBuilder.build({ name: options.name, puppet: options.puppet });

  async function onMessage(msg: Message) {
    if (msg.self() || msg.type() !== bot.Message.Type.Text) return;
    const room = msg.room();
    if (room && !(await msg.mentionSelf())) return;
    try {
      const reply = await replyTo(await msg.mentionText(), options.api, room !== undefined);
      if (reply) await msg.say(reply);
    } catch (err) {
      console.error("bot reply failed:", (err as Error).message);
      await msg.say("系统繁忙，请稍后再试。");
    }
  }

  bot.on("message", onMessage);
  bot.on("login", (user) => console.log(`机器人已登录：${user.name()}`));
  bot.on("logout", (user) => console.log(`机器人已退出：${user.name()}`));
  bot.on("error", (err) => console.error("bot error:", err.message));
  return bot;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadBotConfig();
  const bot = buildBot({ name: config.name, api: createApiClient(config.apiBaseUrl), puppet: config.puppet as WechatyOptions["puppet"] });
  bot.on("scan", (qrcode) => console.log(`请用微信扫码登录：https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`));
  await bot.start();
}
