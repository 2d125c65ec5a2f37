import type { Offer } from "../services/coupons";
import { shanghaiDate, yuan } from "./format";

/** The headline of an offer: "¥50.00", "9 折", "免费洗车". */
export function offerValue(o: Offer): string {
  if (o.kind === "cash" || o.kind === "threshold") return yuan(o.valueFen ?? 0);
  if (o.kind === "percent") return `${((100 - (o.percentOff ?? 0)) / 10).toFixed(1).replace(/\.0$/, "")} 折`;
  return o.serviceName ?? "服务券";
}

/** The rule in words: threshold, cap, what it covers. */
export function offerRule(o: Offer): string {
  if (o.kind === "threshold") return `满 ${yuan(o.thresholdFen ?? 0)} 可用`;
  if (o.kind === "percent") return o.maxDiscountFen ? `最高优惠 ${yuan(o.maxDiscountFen)}` : "不限优惠上限";
  if (o.kind === "service") return `可抵扣一次${o.serviceName ?? "服务"}`;
  return "无门槛";
}

/** "2026-12-01 至 2026-12-31" in China time. */
export function validity(from: string | null, to: string | null, days?: number | null): string {
  if (from && to) return `${shanghaiDate(from)} 至 ${shanghaiDate(to)}`;
  if (to) return `${shanghaiDate(to)} 前有效`;
  if (days) return `领取后 ${days} 天内有效`;
  return "长期有效";
}

export const STATUS_TEXT: Record<string, string> = { available: "可使用", used: "已使用", expired: "已过期", void: "已作废" };
