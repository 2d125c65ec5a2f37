import qrcodeTerminal from "qrcode-terminal";
import { ScanStatus, types, WechatyBuilder, type Contact, type Message, type Wechaty, type WechatyOptions } from "wechaty";
import { createApiClient, type ApiClient } from "./api-client.js";
import { loadBotConfig } from "./config.js";
import { runConsole } from "./console.js";
import { ReplyLimiter } from "./pacing.js";
import { replyTo } from "./replies.js";
import { runBot, stopOnSignals } from "./service.js";

// messages older than this when they reach the bot (history replayed at login) get no answer: a burst of late replies looks like a spam bot
const MessageType = types.Message;
const STALE_SECONDS = 10 * 60;
// what an agent in a handoff reads for a message that is not text
const MEDIA: Partial<Record<number, string>> = {
  [MessageType.Image]: "[图片]", [MessageType.Audio]: "[语音]", [MessageType.Video]: "[视频]", [MessageType.Attachment]: "[文件]", [MessageType.Emoticon]: "[表情]",
};

/** Builds the bot with named handlers, like Wechaty's ding-dong example; the puppet comes from config or a test. */
export function buildBot(options: { name: string; api: ApiClient; puppet: WechatyOptions["puppet"] }): Wechaty {
  const bot = WechatyBuilder.build({ name: options.name, puppet: options.puppet });
  const limiter = new ReplyLimiter();

  function onScan(qrcode: string, status: ScanStatus) {
    if (status !== ScanStatus.Waiting && status !== ScanStatus.Timeout) return console.log(`扫码状态：${ScanStatus[status]}`);
    qrcodeTerminal.generate(qrcode, { small: true });
    console.log(`请用机器人的微信扫码登录：https://wechaty.js.org/qrcode/${encodeURIComponent(qrcode)}`);
  }

  function onLogin(user: Contact) {
    console.log(`机器人已登录：${user.name()}`);
  }

  function onLogout(user: Contact, reason?: string) {
    console.log(`机器人已退出：${user.name()}${reason ? `（${reason}）` : ""}`);
  }

  async function onMessage(msg: Message) {
    const media = MEDIA[msg.type()];
    if (msg.self() || (msg.type() !== bot.Message.Type.Text && !media) || msg.age() > STALE_SECONDS) return;
    const talker = msg.talker();
    if (talker.type() !== bot.Contact.Type.Individual) return; // official accounts and the like
    const room = msg.room();
    if (room && (media || !(await msg.mentionSelf()))) return;
    const text = media ?? (room ? await msg.mentionText() : msg.text());
    const reply = await replyTo(options.api, { contactId: talker.id, text, inGroup: room !== undefined, media: media !== undefined });
    if (!reply || !limiter.take(room?.id ?? talker.id)) return;
    if (room) await room.say(reply, talker);
    else await msg.say(reply);
  }

  function onError(err: Error) {
    console.error("bot error:", err.message);
  }

  bot.on("scan", onScan);
  bot.on("login", onLogin);
  bot.on("logout", onLogout);
  bot.on("message", (msg) => onMessage(msg).catch((err: Error) => console.error("message handling failed:", err.message)));
  bot.on("error", onError);
  return bot;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const config = loadBotConfig();
  const api = createApiClient(config.apiBaseUrl, config.botToken);
  if (process.argv.includes("--console")) {
    await runConsole(config, api, buildBot, { jsonl: process.argv.includes("--jsonl") });
  } else {
    if (config.puppet === "wechaty-puppet-mock") console.log("WECHATY_PUPPET 未设置，使用 wechaty-puppet-mock（无人登录）。本地试用请运行 npm run bot -- --console");
    stopOnSignals(await runBot(config, api, () => buildBot({ name: config.name, api, puppet: config.puppet as WechatyOptions["puppet"] })));
  }
}
