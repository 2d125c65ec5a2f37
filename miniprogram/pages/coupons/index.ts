import { claimCoupon, fetchClaimable, fetchMyCoupons, type Coupon, type CouponStatus, type CouponTemplate } from "../../services/coupons";
import { messageOf } from "../../services/request";
import { offerRule, offerValue, validity } from "../../utils/coupon";

type Tab = "claimable" | "available" | "used" | "expired";
type Card = { id: number; name: string; value: string; rule: string; valid: string; kind: "template" | "coupon"; channel?: string; canGet?: boolean; reason?: string | null; pointsCost?: number | null; status?: CouponStatus };

const EMPTY: Record<Tab, string> = { claimable: "暂无可领取的优惠券", available: "暂无可使用的优惠券，去“可领取”看看", used: "还没有使用过优惠券", expired: "没有已过期的优惠券" };

const fromTemplate = (t: CouponTemplate): Card => ({ id: t.id, name: t.name, value: offerValue(t), rule: offerRule(t), valid: validity(t.validFrom, t.validTo, t.validDays), kind: "template", channel: t.channel, canGet: t.canGet, reason: t.reason, pointsCost: t.pointsCost });
const fromCoupon = (c: Coupon): Card => ({ id: c.id, name: c.name, value: offerValue(c), rule: offerRule(c), valid: validity(c.validFrom, c.validTo), kind: "coupon", status: c.status });

// 券包 (tab): 可领取 / 可使用 / 已使用 / 已过期; claiming sends one Idempotency-Key per claim, so a double tap issues once.
Component({
  data: { tab: "available" as Tab, loading: true, error: "", cards: [] as Card[], empty: "", claiming: 0 },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const tab = query?.tab as Tab | undefined;
      if (tab && tab in EMPTY) this.setData({ tab });
    },
    onShow() {
      this.load();
    },
    onPullDownRefresh() {
      this.load().then(() => wx.stopPullDownRefresh());
    },
    onTabChange(e: WechatMiniprogram.CustomEvent<{ value: Tab }>) {
      this.setData({ tab: e.detail.value, cards: [] });
      this.load();
    },
    async load() {
      const tab = this.data.tab;
      this.setData({ loading: !this.data.cards.length, error: "" });
      try {
        const cards = tab === "claimable" ? (await fetchClaimable()).map(fromTemplate) : (await fetchMyCoupons(tab as CouponStatus, 1, 100)).items.map(fromCoupon);
        if (tab !== this.data.tab) return; // the member switched tabs meanwhile
        this.setData({ loading: false, cards, empty: cards.length ? "" : EMPTY[tab] });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    async claim(e: WechatMiniprogram.BaseEvent) {
      const id = Number(e.currentTarget.dataset.id);
      this.setData({ claiming: id });
      try {
        await claimCoupon(id);
        wx.showToast({ title: "领取成功，已放入券包", icon: "none" });
      } catch {
        // request.ts showed the server's message (已领完, 已达上限…)
      } finally {
        this.setData({ claiming: 0 });
        await this.load();
      }
    },
    openMall() {
      wx.navigateTo({ url: "/pages/points/mall" });
    },
    open(e: WechatMiniprogram.BaseEvent) {
      if (e.currentTarget.dataset.kind !== "coupon") return;
      wx.navigateTo({ url: `/pages/coupon/detail?id=${e.currentTarget.dataset.id}` });
    },
  },
});
