import { addCar, fetchCar, removeCar, updateCar, type CarFields } from "../../services/cars";
import { messageOf } from "../../services/request";
import { shanghaiToday } from "../../utils/format";
import { normalizePlate, plateProblem } from "./plate";

const VIN_TAIL = /^[A-HJ-NPR-Z0-9]{6}$/; // the server's vinLast6 rule (no I, O, Q)

// 添加车辆 / 编辑车辆 (edit?id=): the plate is checked as it is typed with the server's own rule; the server still decides.
Component({
  data: {
    id: 0,
    loading: false,
    error: "",
    plate: "",
    model: "",
    vinLast6: "",
    purchaseDate: "",
    mileage: "",
    plateError: "",
    vinError: "",
    canSave: false,
    saving: false,
    failure: "",
    today: shanghaiToday(),
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const id = Number(query.id) || 0;
      this.setData({ id });
      wx.setNavigationBarTitle?.({ title: id ? "编辑车辆" : "添加车辆" });
      if (id) this.load();
    },
    async load() {
      this.setData({ loading: true, error: "" });
      try {
        const car = await fetchCar(this.data.id);
        this.setData({ loading: false, plate: car.plate, model: car.model, vinLast6: car.vinLast6 ?? "", purchaseDate: car.purchaseDate ?? "", mileage: String(car.mileage) });
        this.check();
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    check() {
      const d = this.data;
      const plateError = plateProblem(d.plate);
      const vinError = d.vinLast6 && !VIN_TAIL.test(d.vinLast6.toUpperCase()) ? "车架号后 6 位应为字母或数字（不含 I、O、Q）" : "";
      this.setData({ plateError, vinError, canSave: Boolean(normalizePlate(d.plate) && !plateError && !vinError && d.model.trim()) });
    },
    onPlate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ plate: e.detail.value, failure: "" });
      this.check();
    },
    onModel(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ model: e.detail.value, failure: "" });
      this.check();
    },
    onVin(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ vinLast6: e.detail.value, failure: "" });
      this.check();
    },
    onMileage(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ mileage: e.detail.value.replace(/\D/g, ""), failure: "" });
    },
    onPurchaseDate(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ purchaseDate: e.detail.value });
    },
    fields(): CarFields {
      const d = this.data;
      return {
        plate: normalizePlate(d.plate),
        model: d.model.trim(),
        ...(d.vinLast6 ? { vinLast6: d.vinLast6.toUpperCase() } : {}),
        ...(d.purchaseDate ? { purchaseDate: d.purchaseDate } : {}),
        ...(d.mileage ? { mileage: Number(d.mileage) } : {}),
      };
    },
    async save() {
      this.check();
      if (!this.data.canSave || this.data.saving) return;
      this.setData({ saving: true, failure: "" });
      try {
        const car = this.data.id ? await updateCar(this.data.id, this.fields()) : await addCar(this.fields());
        wx.showToast({ title: this.data.id ? "已保存" : "已添加", icon: "success" });
        if (this.data.id) wx.navigateBack({ delta: 1 });
        else wx.redirectTo({ url: `/pages/cars/detail?id=${car.id}` });
      } catch (err) {
        this.setData({ failure: messageOf(err) });
        wx.showToast({ title: messageOf(err), icon: "none" });
      } finally {
        this.setData({ saving: false });
      }
    },
    remove() {
      const id = this.data.id;
      if (!id) return;
      wx.showModal({
        title: "移除车辆",
        content: `移除 ${this.data.plate} 后不能再用它预约；车辆档案和服务记录仍会保留。`,
        confirmText: "移除",
        success: async (res) => {
          if (!res.confirm) return;
          try {
            await removeCar(id);
            wx.showToast({ title: "已移除", icon: "none" });
            wx.navigateBack({ delta: 2 });
          } catch {
            // request.ts showed the server's message
          }
        },
      });
    },
  },
});
