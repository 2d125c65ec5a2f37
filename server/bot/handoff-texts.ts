import type { EntityManager } from "typeorm";
import { formatShanghai, todayInShanghai } from "../http/time.js";
import { enqueue } from "../notify/outbox.service.js";
import { addCalendarDays, openingWindow } from "../stores/calendar.js";
import { Store } from "../stores/stores.entity.js";
import type { BotHandoff } from "./bot.entity.js";

/** Minutes after opening a handoff within which an agent should have answered; after them the member is told when to expect one. */
export const ANSWER_WITHIN_MS = 10 * 60_000;

export const TEXTS = {
  toAgent: (tag: string, who: string, text: string) => `[#${tag}] ${who}：${text}`,
  opened: (tag: string, who: string, text: string | undefined) =>
    `[#${tag}] ${who} 请求人工服务${text ? `：${text}` : "。"}\n回复「#${tag} 内容」答复客户，「#${tag} 结束」结束本次服务。`,
  queued: (tag: string, who: string) => `会员 ${who} 请求人工服务（#${tag}），当前没有值班客服，请在后台“人工会话”中处理。`,
  toMember: (text: string) => `【人工客服】${text}`,
  closed: "本次人工服务已结束，感谢您的耐心。如还有问题，回复“人工”可再次联系客服。",
  busy: (when: string) => `客服暂时忙碌，我们会在${when}前回复您，请耐心等待。`,
  agentDone: (tag: string) => `已转达给客户（#${tag}）`,
  agentClosed: (tag: string) => `已结束会话 #${tag}`,
  agentUnknown: (tag: string) => `没有找到进行中的会话 #${tag}，请核对编号`,
};

/** Queues one chat line through the outbox (conversational: the bot hands it out at once). */
export async function relay(m: EntityManager, to: { memberId: number } | { staffId: number }, storeId: number, text: string, dedupeKey: string, now: Date): Promise<boolean> {
  return enqueue(m, { kind: "chat_relay", ...to, storeId, vars: { text: [...text].slice(0, 1900).join("") }, dedupeKey }, now);
}

/**
 * When a busy store promises an answer: today by closing time while it is open, else two hours after
 * the next opening (store hours, closures and holidays); 今天 18:00 / 12-03 11:00.
 */
export async function promisedBy(m: EntityManager, h: Pick<BotHandoff, "storeId">, now: Date): Promise<string> {
  const store = await m.findOneBy(Store, { id: h.storeId });
  const today = todayInShanghai(now);
  if (store) {
    const window = await openingWindow(m, store, today);
    if (window.open && window.closes.getTime() - now.getTime() > 30 * 60_000) return `今天 ${formatShanghai(window.closes).slice(11)}`;
    for (let d = 1; d <= 14; d++) {
      const date = addCalendarDays(today, d);
      const next = await openingWindow(m, store, date);
      if (next.open) {
        const by = formatShanghai(new Date(Math.min(next.opens.getTime() + 2 * 3600_000, next.closes.getTime())));
        return d === 1 ? `明天 ${by.slice(11)}` : by.slice(5);
      }
    }
  }
  return "24 小时内";
}
