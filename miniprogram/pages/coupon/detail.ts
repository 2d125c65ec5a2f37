import { fetchMyCoupon, type Coupon } from "../../services/coupons";
import { messageOf } from "../../services/request";
import { offerRule, offerValue, STATUS_TEXT, validity } from "../../utils/coupon";
import { shanghaiDateTime, yuan } from "../../utils/format";

/** The code in groups of four, easy to read out to the advisor. */
const grouped = (code: string) => code.replace(/(.{4})(?=.)/g, "$1 ");

// A coupon: its rules, validity and its code as a QR code and as digits for the advisor.
Component({
  data: { loading: true, error: "", coupon: null as Coupon | null, value: "", rule: "", valid: "", statusText: "", codeText: "", usedText: "" },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.load(Number(query.id));
    },
    async load(id: number) {
      this.setData({ loading: true, error: "" });
      try {
        const coupon = id > 0 ? await fetchMyCoupon(id) : null;
        if (!coupon) return this.setData({ loading: false, error: "没有找到这张优惠券" });
        const usedText = coupon.usedAt ? `${shanghaiDateTime(coupon.usedAt)} 已使用${coupon.discountFen ? `，优惠 ${yuan(coupon.discountFen)}` : ""}` : "";
        this.setData({ loading: false, coupon, value: offerValue(coupon), rule: offerRule(coupon), valid: validity(coupon.validFrom, coupon.validTo), statusText: STATUS_TEXT[coupon.status] ?? coupon.status, codeText: grouped(coupon.code), usedText });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    copyCode() {
      if (this.data.coupon) wx.setClipboardData({ data: this.data.coupon.code });
    },
  },
});
