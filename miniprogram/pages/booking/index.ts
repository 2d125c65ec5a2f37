// The 预约 tab (main package). A starting point: the booking pages themselves live in the pages/bookings subpackage.
Component({
  data: {},
  methods: {
    book() {
      wx.navigateTo({ url: "/pages/bookings/new" });
    },
    myBookings() {
      wx.navigateTo({ url: "/pages/bookings/index" });
    },
  },
});
