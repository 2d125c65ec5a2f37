import { ApiError, type ApiClient, type BotContext, type FaqMatch } from "./api-client.js";
import { commandOf, PRIVATE_COMMANDS, runCommand } from "./commands.js";
import { continueDialog, parseDialog } from "./dialog.js";
import { normalizeCommand } from "./normalize.js";
import { T } from "./texts.js";

export interface Incoming {
  /** the Wechaty id of the person who wrote */
  contactId: string;
  /** the text without the @-mention */
  text: string;
  /** said in a group where the bot was @-mentioned (the caller drops group messages that do not mention it) */
  inGroup: boolean;
  /** a picture, voice, file or sticker: `text` is its placeholder ([图片] …), passed on only to an agent */
  media?: boolean;
}

const BIND_CODE = /^[0-9]{6}$/;
const AGENT_REPLY = /^\s*[#＃]\S+/;
// the server takes chat lines of up to 2000 characters; a longer WeChat message is cut, not refused
const chatLine = (text: string) => [...text].slice(0, 2000).join("");

/**
 * The bot's reply to one text message, or null for silence (a relayed handoff message, an agent's
 * reply the server delivers itself). Plain function: no Wechaty import, tested without a puppet.
 */
export async function replyTo(api: ApiClient, msg: Incoming): Promise<string | null> {
  const text = msg.text.trim();
  if (!text) return null;
  try {
    return await route(api, msg, text, await api.context(msg.contactId));
  } catch (err) {
    return errorReply(err);
  }
}

async function route(api: ApiClient, msg: Incoming, text: string, ctx: BotContext): Promise<string | null> {
  const { contactId, inGroup } = msg;
  const binding = ctx.binding;
  if (binding?.type === "staff" && !inGroup && AGENT_REPLY.test(text)) {
    const res = await api.agentMessage(contactId, chatLine(text));
    if (res.handled) return res.reply ?? null;
  }
  // a human owns the conversation: everything goes to the agent and the bot keeps quiet
  if (ctx.handoff && !inGroup) {
    await api.relay(contactId, msg.media ? `${text}（非文字消息，机器人无法转发其内容）` : chatLine(text));
    return null;
  }
  if (msg.media) return null; // stickers and photos get no FAQ answer
  const normalized = normalizeCommand(text);
  if (BIND_CODE.test(normalized)) {
    if (inGroup) return T.privateCode;
    if (binding) return T.alreadyBound;
    return bind(api, contactId, normalized);
  }
  const dialog = inGroup ? null : parseDialog(ctx.dialog);
  if (dialog) {
    const reply = await continueDialog(api, contactId, dialog, text);
    if (reply !== undefined) return reply;
  }
  if (normalized === "取消") return T.nothingToCancel;
  const command = commandOf(text);
  if (command) {
    if (inGroup && PRIVATE_COMMANDS.includes(command)) return T.privacy;
    return runCommand(api, { contactId, binding }, command, text);
  }
  return faqReply(api, contactId, text, inGroup, binding !== null);
}

async function bind(api: ApiClient, contactId: string, code: string): Promise<string> {
  try {
    const bound = await api.bind(contactId, code);
    return bound.type === "staff" ? T.boundStaff(bound.name) : T.boundMember(bound.name);
  } catch (err) {
    if (err instanceof ApiError && err.code === "BIND_CODE_INVALID") return T.bindCodeInvalid(err.details.attemptsLeft as number | undefined);
    if (err instanceof ApiError && err.code === "BIND_LOCKED") return T.bindLocked(lockedUntilText(err.details.lockedUntil));
    throw err;
  }
}

function lockedUntilText(value: unknown): string {
  if (typeof value !== "string") return "30 分钟";
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? value : d.toLocaleTimeString("zh-CN", { timeZone: "Asia/Shanghai", hour: "2-digit", minute: "2-digit", hour12: false });
}

async function faqReply(api: ApiClient, contactId: string, text: string, inGroup: boolean, bound: boolean): Promise<string | null> {
  let match: FaqMatch;
  try {
    match = await api.matchFaq(text.slice(0, 200));
  } catch (err) {
    console.error("faq match failed:", (err as Error).message);
    return T.faqUnavailable;
  }
  const invite = bound || inGroup ? "" : `\n\n${T.invite}`;
  switch (match.kind) {
    case "answer":
      return match.faq.answer;
    case "choices": {
      const choices = match.choices.slice(0, 3);
      if (inGroup) return T.groupChoices(choices.map((c) => c.question));
      await api.saveDialog(contactId, { kind: "faq", choices });
      return T.chooseFaq(choices.map((c) => c.question));
    }
    case "greeting":
      return (match.reply ?? T.menu) + invite;
    case "thanks":
      return match.reply ?? "不客气，很高兴为您服务！";
    default:
      return (match.reply ?? T.notUnderstood) + invite;
  }
}

function errorReply(err: unknown): string {
  if (err instanceof ApiError) {
    if (err.code === "BOT_NOT_BOUND") return `${T.needBinding}${T.invite}`;
    // a refusal the server explains (survey closed, handoff already open …): its Chinese message is for the person
    if (err.status >= 400 && err.status < 500 && !["BOT_TOKEN_INVALID", "UNAUTHENTICATED", "VALIDATION_FAILED", "NOT_FOUND"].includes(err.code)) return err.message;
  }
  console.error("bot reply failed:", (err as Error).message);
  return T.busy;
}
