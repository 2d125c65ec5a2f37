import { dueText, fetchCars } from "../../services/cars";
import { messageOf } from "../../services/request";

const MAX_CARS = 5; // the server's limit per member (ASSET_LIMIT_REACHED)

interface CarRow {
  id: number;
  plate: string;
  model: string;
  mileageText: string;
  dueText: string;
}

// 我的车辆: the member's cars with mileage and the next maintenance; add one, open one for its history.
Component({
  data: { loading: true, error: "", cars: [] as CarRow[], full: false, max: MAX_CARS },
  methods: {
    onShow() {
      this.load();
    },
    onPullDownRefresh() {
      this.load().then(() => wx.stopPullDownRefresh());
    },
    async load() {
      this.setData({ loading: !this.data.cars.length, error: "" });
      try {
        const cars = (await fetchCars()).filter((c) => c.kind === "car");
        const rows = cars.map((c) => ({ id: c.id, plate: c.plate, model: c.model, mileageText: `${c.mileage} 公里`, dueText: dueText(c) || "暂无保养计划" }));
        this.setData({ loading: false, cars: rows, full: rows.length >= MAX_CARS });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    open(e: WechatMiniprogram.BaseEvent) {
      wx.navigateTo({ url: `/pages/cars/detail?id=${e.currentTarget.dataset.id}` });
    },
    add() {
      if (!this.data.full) wx.navigateTo({ url: "/pages/cars/edit" });
    },
  },
});
