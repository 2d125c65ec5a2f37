import { createBooking, fetchServiceTypes, fetchStores, type ServiceType, type Store } from "../../services/bookings";
import { fetchAssets, fetchMemberCard, type Asset } from "../../services/member";
import { messageOf, type ApiFailure } from "../../services/request";
import { askSubscribe } from "../../services/subscribe";

const PICKUP = "pickup_delivery"; // needs the address the driver comes to
/** Refusals after which the times shown are stale: the picker asks the server again. */
const STALE = ["SLOT_FULL", "BOOKING_TOO_SOON", "STORE_CLOSED", "BOOKING_OUT_OF_HORIZON", "BOOKING_START_INVALID"];

type ServiceChip = ServiceType & { checked: boolean };

// 预约到店: store, one or more services, car, day and time, notes, confirm. The maintenance reminder opens it
// as new?assetId=&service=maintenance&storeId= (server/notify/templates.ts) and the form comes pre-filled.
Component({
  data: {
    loading: true,
    error: "",
    stores: [] as Store[],
    storeId: 0,
    services: [] as ServiceChip[],
    serviceIds: [] as number[],
    cars: [] as Asset[],
    assetId: 0,
    start: "",
    note: "",
    address: "",
    needsAddress: false,
    ready: false,
    submitting: false,
    failure: "",
  },
  methods: {
    onLoad(query: Record<string, string | undefined>) {
      const wanted = { assetId: Number(query.assetId) || 0, service: query.service ?? "", storeId: Number(query.storeId) || 0 };
      this.load(wanted);
    },
    async load(wanted: { assetId: number; service: string; storeId: number } = { assetId: 0, service: "", storeId: 0 }) {
      this.setData({ loading: true, error: "" });
      try {
        const [stores, types, cars, card] = await Promise.all([fetchStores(), fetchServiceTypes(), fetchAssets(), fetchMemberCard()]);
        const storeId = [wanted.storeId, card.storeId, stores.length === 1 ? stores[0].id : 0].find((id) => stores.some((s) => s.id === id)) ?? 0;
        const assetId = cars.some((c) => c.id === wanted.assetId) ? wanted.assetId : cars.length === 1 ? cars[0].id : 0;
        const services = types.map((t) => ({ ...t, checked: t.code === wanted.service }));
        this.setData({ loading: false, stores, cars, storeId, assetId, services });
        this.applyServices();
      } catch (err) {
        this.setData({ loading: false, error: messageOf(err) });
      }
    },
    /** Back from 添加车辆: the new car is there to pick (the only car is picked). */
    async onShow() {
      if (this.data.loading || this.data.error) return;
      try {
        const cars = await fetchAssets();
        const assetId = cars.some((c) => c.id === this.data.assetId) ? this.data.assetId : cars.length === 1 ? cars[0].id : 0;
        this.setData({ cars, assetId });
        this.check();
      } catch {
        // the list shown stays; request.ts showed the message
      }
    },
    applyServices() {
      const services = this.data.services;
      this.setData({ serviceIds: services.filter((s) => s.checked).map((s) => s.id), needsAddress: services.some((s) => s.checked && s.code === PICKUP), start: "" });
      this.check();
    },
    check() {
      const d = this.data;
      this.setData({ ready: Boolean(d.storeId && d.serviceIds.length && d.assetId && d.start && (!d.needsAddress || d.address.trim().length >= 5)) });
    },
    pickStore(e: WechatMiniprogram.BaseEvent) {
      this.setData({ storeId: Number(e.currentTarget.dataset.id), start: "", failure: "" });
      this.check();
    },
    toggleService(e: WechatMiniprogram.BaseEvent) {
      const id = Number(e.currentTarget.dataset.id);
      this.setData({ services: this.data.services.map((s) => (s.id === id ? { ...s, checked: !s.checked } : s)), failure: "" });
      this.applyServices();
    },
    pickCar(e: WechatMiniprogram.BaseEvent) {
      this.setData({ assetId: Number(e.currentTarget.dataset.id) });
      this.check();
    },
    onSlot(e: WechatMiniprogram.CustomEvent<{ start: string }>) {
      this.setData({ start: e.detail.start, failure: "" });
      this.check();
    },
    onNote(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ note: e.detail.value });
    },
    onAddress(e: WechatMiniprogram.CustomEvent<{ value: string }>) {
      this.setData({ address: e.detail.value });
      this.check();
    },
    addCar() {
      wx.navigateTo({ url: "/pages/cars/edit" });
    },
    /** Books once per visit asked for, and asks for the reminders' consent in the same tap (WeChat allows it only there). */
    async confirm() {
      const d = this.data;
      if (!d.ready || d.submitting) return;
      this.setData({ submitting: true, failure: "" });
      const consent = askSubscribe(["booking_reminder", "maintenance_due"]);
      const body = { storeId: d.storeId, serviceIds: d.serviceIds, assetId: d.assetId, start: d.start, ...(d.note.trim() ? { note: d.note.trim() } : {}), ...(d.needsAddress ? { address: d.address.trim() } : {}) };
      try {
        const booking = await createBooking(body);
        await consent;
        wx.showToast({ title: "预约成功", icon: "success" });
        wx.redirectTo({ url: `/pages/bookings/detail?id=${booking.id}` });
      } catch (err) {
        const failure = err as ApiFailure;
        this.setData({ failure: messageOf(err) });
        wx.showToast({ title: messageOf(err), icon: "none" });
        if (STALE.includes(failure.code)) {
          this.setData({ start: "" });
          this.selectComponent("#slots")?.load();
          this.check();
        }
      } finally {
        this.setData({ submitting: false });
      }
    },
  },
});
