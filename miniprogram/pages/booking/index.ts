import { fetchMyBookings, STATUS_TEXT, type Booking } from "../../services/bookings";
import { messageOf } from "../../services/request";
import { shanghaiDateTime } from "../../utils/format";

interface Upcoming {
  id: number;
  title: string;
  text: string;
}

const toUpcoming = (b: Booking): Upcoming => ({
  id: b.id,
  title: `${shanghaiDateTime(b.start)} ${STATUS_TEXT[b.status] ?? ""}`,
  text: `${b.services.map((s) => s.name).filter(Boolean).join("、")}${b.plate ? `（${b.plate}）` : ""}`,
});

// The 预约 tab (main package): book a visit, the next visits, and 我的预约. The booking pages live in the pages/bookings subpackage.
Component({
  data: { loading: true, error: "", upcoming: [] as Upcoming[] },
  methods: {
    onShow() {
      this.load();
    },
    async load() {
      this.setData({ loading: !this.data.upcoming.length, error: "" });
      try {
        const page = await fetchMyBookings(1, 3, "upcoming");
        this.setData({ loading: false, upcoming: page.items.filter((b) => b.status !== "cancelled").map(toUpcoming) });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    book() {
      wx.navigateTo({ url: "/pages/bookings/new" });
    },
    myBookings() {
      wx.navigateTo({ url: "/pages/bookings/index" });
    },
    myCars() {
      wx.navigateTo({ url: "/pages/cars/index" });
    },
    open(e: WechatMiniprogram.BaseEvent) {
      wx.navigateTo({ url: `/pages/bookings/detail?id=${e.currentTarget.dataset.id}` });
    },
  },
});
