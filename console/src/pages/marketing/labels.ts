// Names and the one-line offer of a coupon template, shared by the list and the form.
import type { CouponChannel, CouponKind, CouponTemplate } from "../../api/marketing.js";
import { yuan } from "../../utils/format.js";

// Records over the generated unions: a new kind or channel on the server is a type error here
export const KIND_NAMES: Record<CouponKind, string> = { cash: "现金券", percent: "折扣券", threshold: "满减券", service: "服务券" };
export const CHANNEL_NAMES: Record<CouponChannel, string> = { claim: "会员领取", exchange: "积分兑换", staff: "员工发放", job: "系统任务（生日）" };

/** What the coupon is worth, e.g. "满 ¥300.00 减 ¥50.00". */
export function offerText(t: CouponTemplate): string {
  if (t.kind === "cash") return `立减 ${yuan(t.valueFen)}`;
  if (t.kind === "threshold") return `满 ${yuan(t.thresholdFen)} 减 ${yuan(t.valueFen)}`;
  if (t.kind === "percent") return `${(100 - (t.percentOff ?? 0)) / 10} 折${t.maxDiscountFen ? `，最多减 ${yuan(t.maxDiscountFen)}` : ""}`;
  return t.serviceName ?? "服务券";
}

/** Yuan as typed (may have cents) to integer fen. */
export const toFen = (yuanValue: number) => Math.round(yuanValue * 100);
