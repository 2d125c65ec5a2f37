import { fetchStores } from "../../services/bookings";
import { dueText, fetchCar, fetchServiceRecords, type Car, type ServiceRecord } from "../../services/cars";
import { messageOf } from "../../services/request";
import { queryOf, shanghaiDate, yuan } from "../../utils/format";

interface RecordRow {
  id: number;
  date: string;
  storeName: string;
  itemsText: string;
  mileageText: string;
  amountText: string;
  pointsText: string;
  ratingText: string;
}

function toRow(r: ServiceRecord, storeName: string): RecordRow {
  return {
    id: r.id,
    date: shanghaiDate(r.completedAt),
    storeName,
    itemsText: r.items.map((i) => (i.quantity > 1 ? `${i.name} ×${i.quantity}` : i.name)).join("、"),
    mileageText: `${r.mileage} 公里`,
    amountText: `实付 ${yuan(r.amountFen)}${r.discountFen ? `（工时优惠 ${yuan(r.discountFen)}）` : ""}`,
    pointsText: r.pointsEarned ? `获得 ${r.pointsEarned} 积分` : "",
    ratingText: r.rating ? `已评价 ${r.rating} 分` : "未评价",
  };
}

// One car (detail?id=): plate, model, mileage, its archive number, the next maintenance by date or mileage, and its service history.
Component({
  data: { id: 0, loading: true, error: "", car: null as Car | null, dueText: "", records: [] as RecordRow[], storeId: 0 },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      this.setData({ id: Number(query.id) || 0 });
    },
    onShow() {
      this.load();
    },
    async load() {
      const id = this.data.id;
      this.setData({ loading: !this.data.car, error: "" });
      if (!id) return this.setData({ loading: false, error: "没有找到这辆车" });
      try {
        const [car, records, stores] = await Promise.all([fetchCar(id), fetchServiceRecords(id), fetchStores()]);
        const name = (storeId: number) => stores.find((s) => s.id === storeId)?.name ?? "";
        this.setData({ loading: false, car, dueText: dueText(car), records: records.map((r) => toRow(r, name(r.storeId))), storeId: records[0]?.storeId ?? 0 });
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    bookMaintenance() {
      const car = this.data.car;
      if (car) wx.navigateTo({ url: `/pages/bookings/new?${queryOf({ assetId: car.id, service: "maintenance", storeId: this.data.storeId || null })}` });
    },
    edit() {
      wx.navigateTo({ url: `/pages/cars/edit?id=${this.data.id}` });
    },
  },
});
