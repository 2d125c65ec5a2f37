import { fetchAssets, fetchBenefits, fetchMemberCard, fetchNextBooking, rotateMemberCode, type Asset, type Benefit, type BookingSummary, type MemberCard } from "../../services/member";
import { messageOf } from "../../services/request";
import { shanghaiDate, shanghaiDateTime, queryOf } from "../../utils/format";

/** The maintenance booking page (its path is the maintenance_due message's page in server/notify/templates.ts). */
export const BOOK_MAINTENANCE_PAGE = "/pages/bookings/new";

function expiringText(card: MemberCard): string {
  const { points, firstExpiresAt } = card.expiringIn30Days;
  return points > 0 && firstExpiresAt ? `${points} 积分将于 ${shanghaiDate(firstExpiresAt)} 起陆续过期` : "";
}

/** Progress to the next tier in percent, on the points earned in the last 12 months (what tiers are reached on). */
function progressOf(card: MemberCard): number {
  if (!card.nextTier) return 100;
  return Math.min(100, Math.floor((card.earnedLast12Months * 100) / card.nextTier.threshold));
}

/** The car whose maintenance comes first (by date; a car with only a mileage due after those). */
function nextDue(assets: Asset[]): (Asset & { dueText: string }) | null {
  const due = assets.filter((a) => a.nextDueDate || a.nextDueMileage);
  due.sort((a, b) => (a.nextDueDate ?? "9999").localeCompare(b.nextDueDate ?? "9999"));
  const first = due[0];
  if (!first) return null;
  const parts = [first.nextDueDate ? `${first.nextDueDate} 前` : "", first.nextDueMileage ? `或行驶至 ${first.nextDueMileage} 公里` : ""].filter(Boolean);
  return { ...first, dueText: parts.join(" ").replace(/^或/, "") };
}

function bookingText(b: BookingSummary): string {
  const services = b.services.map((s) => s.name).filter(Boolean).join("、");
  return `${shanghaiDateTime(b.start)} ${services}${b.plate ? `（${b.plate}）` : ""}`;
}

// Built with Component() (WeChat supports pages as components), so it renders in tests too.
Component({
  data: {
    loading: true,
    error: "",
    card: null as MemberCard | null,
    expiring: "",
    progress: 0,
    benefits: [] as Benefit[],
    booking: null as BookingSummary | null,
    bookingText: "",
    due: null as (Asset & { dueText: string }) | null,
    rotating: false,
  },
  methods: {
    onLoad() {
      this.load();
    },
    onPullDownRefresh() {
      this.load().then(() => wx.stopPullDownRefresh());
    },
    async load() {
      this.setData({ loading: !this.data.card, error: "" });
      try {
        const [card, benefits, assets, booking] = await Promise.all([fetchMemberCard(), fetchBenefits(), fetchAssets(), fetchNextBooking()]);
        this.setData({ loading: false, card, expiring: expiringText(card), progress: progressOf(card), benefits, due: nextDue(assets), booking, bookingText: booking ? bookingText(booking) : "" });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    async rotate() {
      this.setData({ rotating: true });
      try {
        const card = await rotateMemberCode();
        this.setData({ card, expiring: expiringText(card) });
      } catch {
        // request.ts showed the server's message
      } finally {
        this.setData({ rotating: false });
      }
    },
    bookMaintenance() {
      const due = this.data.due;
      const card = this.data.card;
      if (!due || !card) return;
      wx.navigateTo({ url: `${BOOK_MAINTENANCE_PAGE}?${queryOf({ assetId: due.id, service: "maintenance", storeId: card.storeId })}` });
    },
    openBooking() {
      if (this.data.booking) wx.navigateTo({ url: `/pages/bookings/detail?id=${this.data.booking.id}` });
    },
    openPoints() {
      wx.navigateTo({ url: "/pages/points/index" });
    },
    openMall() {
      wx.navigateTo({ url: "/pages/points/mall" });
    },
  },
});
