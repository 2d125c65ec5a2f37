import type { ApiClient } from "./api-client.js";

export const HELP = ["您好，我是门店服务助手，可以发送：", "「门店」查看门店地址和电话", "「服务」查看可预约的服务项目", "预约、积分和优惠券请在小程序中办理。"].join("\n");

/**
 * The reply to one text message, or null when the bot should stay silent (it never answers what it
 * does not understand in a group). Plain function: no Wechaty import, tested without a puppet.
 */
export async function replyTo(text: string, api: ApiClient, inGroup: boolean): Promise<string | null> {
  const q = text.trim();
  if (/门店|地址|电话|在哪/.test(q)) {
    const stores = await api.listStores();
    return ["我们的门店：", ...stores.map((s) => `· ${s.name}\n  地址：${s.address}\n  电话：${s.phone}`)].join("\n");
  }
  if (/服务|项目/.test(q)) {
    const services = await api.listServiceTypes();
    return ["可预约的服务项目：", ...services.map((s) => `· ${s.name}（约 ${s.durationMinutes} 分钟）`)].join("\n");
  }
  if (/帮助|菜单|你好|您好/.test(q)) return HELP;
  return inGroup ? null : HELP;
}
