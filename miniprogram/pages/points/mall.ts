import { exchangeCoupon, fetchClaimable, type CouponTemplate } from "../../services/coupons";
import { fetchMemberCard, fetchTiers } from "../../services/member";
import { messageOf, type ApiFailure } from "../../services/request";
import { offerRule, offerValue, validity } from "../../utils/coupon";

type Item = CouponTemplate & { value: string; rule: string; valid: string; gate: string; buttonText: string };

function toItem(t: CouponTemplate, tierNames: Map<string, string>): Item {
  const gate = t.tierCodes ? `仅限${t.tierCodes.map((c) => tierNames.get(c) ?? c).join("、")}` : "";
  const buttonText = t.remainingStock <= 0 ? "已兑完" : t.canGet ? "兑换" : t.reason === "积分不足" ? "积分不足" : t.reason === "已达到每人限领数量" ? "已兑换" : "不可兑换";
  return { ...t, value: offerValue(t), rule: offerRule(t), valid: validity(t.validFrom, t.validTo, t.validDays), gate, buttonText };
}

const confirm = (title: string, content: string) =>
  new Promise<boolean>((resolve) => wx.showModal({ title, content, confirmText: "兑换", cancelText: "再想想", success: (res) => resolve(res.confirm), fail: () => resolve(false) }));

// 积分商城: coupons for points, with price, stock and tier gate; exchange after a confirmation, then the new balance.
Component({
  data: { loading: true, error: "", balance: 0, items: [] as Item[], exchanging: 0 },
  methods: {
    onLoad() {
      this.load();
    },
    onPullDownRefresh() {
      this.load().then(() => wx.stopPullDownRefresh());
    },
    async load() {
      this.setData({ loading: !this.data.items.length, error: "" });
      try {
        const [card, templates, tiers] = await Promise.all([fetchMemberCard(), fetchClaimable(), fetchTiers()]);
        const names = new Map(tiers.map((t) => [t.code, t.name]));
        const items = templates.filter((t) => t.channel === "exchange").map((t) => toItem(t, names));
        this.setData({ loading: false, balance: card.pointsBalance, items });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    async exchange(e: WechatMiniprogram.BaseEvent) {
      const id = Number(e.currentTarget.dataset.id);
      const item = this.data.items.find((i) => i.id === id);
      if (!item || !item.canGet) return;
      if (!(await confirm("确认兑换", `使用 ${item.pointsCost} 积分兑换「${item.name}」？`))) return;
      this.setData({ exchanging: id });
      try {
        const result = await exchangeCoupon(id);
        wx.showToast({ title: `兑换成功，剩余 ${result.pointsBalance} 积分`, icon: "none" });
        this.setData({ balance: result.pointsBalance });
        await this.load();
      } catch (err) {
        // request.ts showed the message. A refusal (积分不足, 已兑完…) changes the list; a lost response does not
        // reload: the next tap retries with the same key and gets the first answer back.
        if ((err as ApiFailure).status > 0) await this.load();
      } finally {
        this.setData({ exchanging: 0 });
      }
    },
  },
});
