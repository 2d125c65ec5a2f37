import { cancelBooking, fetchBooking, fetchStores, rescheduleBooking, type Booking, type Store } from "../../services/bookings";
import { messageOf } from "../../services/request";
import { queryOf } from "../../utils/format";
import { toView, type BookingView } from "./view";

// One booking: status, store, services, car and time; 改约 and 取消 while it is booked. Booking messages
// (confirmed, reminder, ready for pickup) open it as detail?id=. A refusal (BOOKING_CHANGE_TOO_LATE …) is shown
// on the page in the server's own words, with the store's phone.
Component({
  data: {
    id: 0,
    loading: true,
    error: "",
    booking: null as Booking | null,
    view: null as BookingView | null,
    store: null as Store | null,
    serviceIds: [] as number[],
    canChange: false,
    rescheduling: false,
    newStart: "",
    busy: false,
    failure: "",
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: Number(query.id) || 0 });
      this.load();
    },
    async load() {
      const id = this.data.id;
      this.setData({ loading: true, error: "" });
      if (!id) return this.setData({ loading: false, error: "没有找到这条预约" });
      try {
        const [booking, stores] = await Promise.all([fetchBooking(id), fetchStores()]);
        this.show(booking, stores);
        this.setData({ loading: false });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    show(booking: Booking, stores: Store[]) {
      this.setData({
        booking,
        view: toView(booking, stores),
        store: stores.find((s) => s.id === booking.storeId) ?? null,
        serviceIds: booking.services.map((s) => s.id),
        canChange: booking.status === "booked",
      });
    },
    /** The refusal in the server's words, and who to call instead. */
    refuse(err: unknown) {
      const phone = this.data.store?.phone;
      this.setData({ failure: `${messageOf(err)}${phone ? `（门店电话 ${phone}）` : ""}` });
      wx.showToast({ title: messageOf(err), icon: "none" });
    },
    startReschedule() {
      this.setData({ rescheduling: true, newStart: "", failure: "" });
    },
    stopReschedule() {
      this.setData({ rescheduling: false, newStart: "" });
    },
    onSlot(e: WechatMiniprogram.CustomEvent<{ start: string }>) {
      this.setData({ newStart: e.detail.start, failure: "" });
    },
    async reschedule() {
      const { booking, newStart, busy } = this.data;
      if (!booking || !newStart || busy) return;
      this.setData({ busy: true, failure: "" });
      try {
        const moved = await rescheduleBooking(booking.id, newStart);
        this.show(moved, await fetchStores());
        this.setData({ rescheduling: false, newStart: "" });
        wx.showToast({ title: "改约成功", icon: "success" });
      } catch (err) {
        this.refuse(err);
      } finally {
        this.setData({ busy: false });
      }
    },
    cancel() {
      const { booking, view, busy } = this.data;
      if (!booking || !view || busy) return;
      wx.showModal({
        title: "取消预约",
        content: `确定取消 ${view.timeText} 的预约吗？`,
        confirmText: "取消预约",
        cancelText: "再想想",
        success: async (res) => {
          if (!res.confirm) return;
          this.setData({ busy: true, failure: "" });
          try {
            this.show(await cancelBooking(booking.id), await fetchStores());
            wx.showToast({ title: "已取消预约", icon: "none" });
          } catch (err) {
            this.refuse(err);
          } finally {
            this.setData({ busy: false });
          }
        },
      });
    },
    bookAgain() {
      const b = this.data.booking;
      if (b) wx.navigateTo({ url: `/pages/bookings/new?${queryOf({ storeId: b.storeId, assetId: b.assetId, service: b.services[0]?.code })}` });
    },
    callStore() {
      if (this.data.store) wx.makePhoneCall({ phoneNumber: this.data.store.phone });
    },
  },
});
