import { fetchMyBookings, fetchStores, type Booking, type Store } from "../../services/bookings";
import { listFor } from "../../utils/list";
import { toView } from "./view";

let stores: Store[] = [];

/** One page of the member's bookings, newest first, as the list shows them. */
async function fetchPage(page: number, pageSize: number) {
  if (!stores.length) stores = await fetchStores();
  const result = await fetchMyBookings(page, pageSize);
  return { ...result, items: result.items.map((b: Booking) => toView(b, stores)) };
}

// 我的预约: every booking with its status; pull to refresh, more at the bottom. A store's cancellation notice opens it.
Component({
  data: { list: { items: [], loading: true, refreshing: false, error: "", empty: false, hasMore: false } },
  methods: {
    onShow() {
      listFor(this, fetchPage).refresh();
    },
    onPullDownRefresh() {
      listFor(this, fetchPage).refresh(true);
    },
    onReachBottom() {
      listFor(this, fetchPage).more();
    },
    retry() {
      listFor(this, fetchPage).refresh();
    },
    open(e: WechatMiniprogram.BaseEvent) {
      wx.navigateTo({ url: `/pages/bookings/detail?id=${e.currentTarget.dataset.id}` });
    },
    book() {
      wx.navigateTo({ url: "/pages/bookings/new" });
    },
  },
});
