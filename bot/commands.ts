import type { ApiClient, Binding } from "./api-client.js";
import { startComplaint, startSurvey } from "./dialog.js";
import { capped, formatDay, formatTime } from "./format.js";
import { normalizeCommand } from "./normalize.js";
import { T } from "./texts.js";

export type CommandName = "help" | "points" | "coupons" | "bookings" | "complaint" | "complaintStatus" | "survey" | "human" | "optOut" | "unbind";

const WORDS: Record<string, CommandName> = {
  帮助: "help", 菜单: "help", HELP: "help", "?": "help",
  积分: "points", 我的积分: "points", 查积分: "points",
  券: "coupons", 优惠券: "coupons", 我的券: "coupons", 我的优惠券: "coupons", 查券: "coupons",
  预约: "bookings", 我的预约: "bookings", 查预约: "bookings",
  投诉: "complaint", 我要投诉: "complaint",
  投诉进度: "complaintStatus", 我的投诉: "complaintStatus", 查投诉: "complaintStatus",
  评价: "survey",
  人工: "human", 转人工: "human", 人工客服: "human",
  TD: "optOut", 退订: "optOut",
  解绑: "unbind", 解除绑定: "unbind",
};

/** The command a message is, or null (then it is a question for the FAQ). "评价 5 已解决" is 评价. */
export function commandOf(text: string): CommandName | null {
  const t = normalizeCommand(text);
  if (/^评价(\s*[1-5])?(\s*(已解决|未解决|解决了|没解决|没有解决|满意|不满意))?$/.test(t)) return "survey";
  return WORDS[t] ?? null;
}

/** commands that show or change a member's own data: never answered in a group */
export const PRIVATE_COMMANDS: CommandName[] = ["points", "coupons", "bookings", "complaint", "complaintStatus", "survey", "human", "optOut", "unbind"];
/** commands only a bound member can use */
const MEMBER_COMMANDS: CommandName[] = ["points", "coupons", "bookings", "complaint", "complaintStatus", "survey", "optOut"];

export interface Who {
  contactId: string;
  binding: Binding;
}

/** Runs a command in a private chat and returns the reply. */
export async function runCommand(api: ApiClient, who: Who, command: CommandName, text: string): Promise<string> {
  const { contactId, binding } = who;
  if (command === "help") return binding ? T.menu : `${T.menu}\n\n${T.invite}`;
  if (command === "human" && binding?.type !== "member") return binding ? T.staffOnlyMember : humanUnbound(api);
  if (command === "unbind") {
    if (!binding) return `您还没有绑定。${T.invite}`;
    await api.unbind(contactId);
    return T.unbound;
  }
  if (MEMBER_COMMANDS.includes(command) && binding?.type !== "member") return binding ? T.staffOnlyMember : `${T.needBinding}${T.invite}`;
  switch (command) {
    case "points":
      return pointsReply(api, contactId, binding?.type === "member" ? binding.maskedName : "");
    case "coupons":
      return couponsReply(api, contactId);
    case "bookings":
      return bookingsReply(api, contactId);
    case "complaint":
      return startComplaint(api, contactId);
    case "complaintStatus":
      return complaintsReply(api, contactId);
    case "survey":
      return startSurvey(api, contactId, text);
    case "optOut":
      await api.optOutMarketing(contactId);
      return T.optOut;
    case "human":
      return humanReply(api, contactId);
  }
}

async function pointsReply(api: ApiClient, contactId: string, name: string): Promise<string> {
  const p = await api.points(contactId);
  const lines = [`${name ? `${name}，` : ""}您的积分余额：${p.balance} 分，会员等级：${p.tierName}。`];
  if (p.expiring.points > 0 && p.expiring.firstExpiresAt) lines.push(`其中 ${p.expiring.points} 分将于 ${formatDay(p.expiring.firstExpiresAt)} 起陆续到期，请尽快使用（可在小程序兑换优惠券）。`);
  else lines.push("近期没有即将到期的积分。");
  return lines.join("\n");
}

async function couponsReply(api: ApiClient, contactId: string): Promise<string> {
  const { items } = await api.coupons(contactId);
  if (items.length === 0) return T.noCoupons;
  const lines = items.map((c, i) => `${i + 1}. ${c.name}\n   券码：${c.code}，有效期至 ${formatDay(c.validTo)}${c.description ? `\n   ${c.description}` : ""}`);
  return [`您有 ${items.length} 张可用优惠券：`, ...capped(lines, 8, "……另有 {n} 张，请在小程序「我的」→「优惠券」查看。"), "到店结算时出示券码即可使用。"].join("\n");
}

async function bookingsReply(api: ApiClient, contactId: string): Promise<string> {
  const { items, miniprogramPath } = await api.bookings(contactId);
  if (items.length === 0) return T.noBookings(miniprogramPath);
  const lines = items.map((b, i) => `${i + 1}. ${formatTime(b.start)} ${b.storeName}\n   ${[b.serviceNames].flat().join("、")}（${b.statusName}），预约号 ${b.bookingNo}`);
  return ["您的预约：", ...capped(lines, 5, "……另有 {n} 条，请在小程序查看。"), "改约或取消请在小程序操作。", T.bookPath(miniprogramPath)].join("\n");
}

async function complaintsReply(api: ApiClient, contactId: string): Promise<string> {
  const { items } = await api.complaints(contactId);
  if (items.length === 0) return T.noComplaints;
  const lines = items.map((c) => `· ${c.number}（${formatDay(c.createdAt)}）：${c.statusText}${c.surveyOpen ? "，发送「评价」评价处理结果" : ""}`);
  return ["您的投诉：", ...capped(lines, 5, "……另有 {n} 条，请在小程序查看。")].join("\n");
}

/** 人工 before binding: an agent needs to know who is asking, so bind first, or call the store. */
async function humanUnbound(api: ApiClient): Promise<string> {
  const stores = await api.stores().catch(() => []);
  const phones = stores.map((s) => `${s.name} ${s.phone}`).join("；");
  return `转人工客服需要先绑定会员。${T.invite}${phones ? `\n也可以直接致电门店：${phones}` : ""}`;
}

async function humanReply(api: ApiClient, contactId: string): Promise<string> {
  // the server tells the member when to expect an answer if no agent answers within 10 minutes
  await api.openHandoff({ contactId });
  return T.handoffOpened;
}
