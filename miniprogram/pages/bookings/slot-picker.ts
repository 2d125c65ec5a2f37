import { fetchDaySlots, type DaySlots } from "../../services/bookings";
import { messageOf } from "../../services/request";
import { shanghaiDateTime, shanghaiToday } from "../../utils/format";

const DAY_MS = 86_400_000;
const SLOT_MS = 30 * 60_000; // the server's booking grid
const WEEKDAYS = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

export interface DayChip {
  date: string;
  label: string;
  weekday: string;
  /** why it cannot be picked: the store's closed reason, or 已约满 */
  reason: string;
  disabled: boolean;
}
export interface TimeChip {
  start: string;
  time: string;
  /** the time without its colon, for element ids (time-1000) */
  tag: string;
  full: boolean;
  left: number;
}

const addDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const weekdayOf = (date: string) => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()];

function dayChip(day: DaySlots): DayChip {
  const reason = day.closedReason ?? (day.slots.length ? "" : day.date === shanghaiToday() ? "今天已无可约时间" : "已约满");
  return { date: day.date, label: day.date.slice(5), weekday: weekdayOf(day.date), reason, disabled: Boolean(reason) };
}

/**
 * The day's starts on the 30-minute grid from its first free start to its last: the server lists only starts
 * with a bay left, so a start missing between them is full.
 */
export function timeChips(day: DaySlots): TimeChip[] {
  if (!day.slots.length) return [];
  const free = new Map(day.slots.map((s) => [Date.parse(s.start), s.available]));
  const first = Date.parse(day.slots[0].start);
  const last = Date.parse(day.slots[day.slots.length - 1].start);
  const chips: TimeChip[] = [];
  for (let t = first; t <= last; t += SLOT_MS) {
    const start = new Date(t).toISOString();
    const time = shanghaiDateTime(start).slice(11);
    chips.push({ start, time, tag: time.replace(":", ""), full: !free.has(t), left: free.get(t) ?? 0 });
  }
  return chips;
}

// Day and time picker for one visit at a store: closed days greyed with the store's reason, full times shown as 已满.
Component({
  properties: {
    storeId: { type: Number, value: 0 },
    serviceIds: { type: Array, value: [] as number[] },
    /** how many days ahead, from today */
    span: { type: Number, value: 14 },
  },
  // key: the store and services the days are for; asked: the latest load's number (a stale answer is dropped); found: its days as the server gave them
  data: { loading: false, error: "", days: [] as DayChip[], date: "", times: [] as TimeChip[], start: "", hint: "", key: "", asked: 0, found: [] as DaySlots[] },
  observers: {
    "storeId, serviceIds"(storeId: number, serviceIds: number[]) {
      // a parent's re-render may set the same values again: only a new store or new services means new days
      const key = `${storeId}|${serviceIds.join(",")}`;
      if (key === this.data.key) return;
      this.setData({ key });
      this.load();
    },
  },
  methods: {
    async load() {
      const storeId = this.data.storeId as number;
      const serviceIds = this.data.serviceIds as number[];
      const ask = this.data.asked + 1;
      this.setData({ asked: ask, date: "", times: [], start: "", days: [], found: [], error: "" });
      if (!storeId || !serviceIds.length) return this.setData({ loading: false, hint: "请先选择门店和服务项目" });
      this.setData({ loading: true, hint: "" });
      const today = shanghaiToday();
      const dates = Array.from({ length: this.data.span as number }, (_, i) => addDays(today, i));
      try {
        const found = await Promise.all(dates.map((date) => fetchDaySlots(storeId, date, serviceIds)));
        if (ask !== this.data.asked) return; // the store or services changed meanwhile
        this.setData({ loading: false, found, days: found.map(dayChip) });
      } catch (err) {
        if (ask === this.data.asked) this.setData({ loading: false, error: messageOf(err) });
      }
    },
    pickDay(e: WechatMiniprogram.BaseEvent) {
      const date = String(e.currentTarget.dataset.date);
      const day = this.data.found.find((d) => d.date === date);
      if (!day) return;
      const chip = dayChip(day);
      if (chip.disabled) return this.setData({ hint: `${date} ${chip.reason}，请选择其他日期` });
      this.setData({ date, times: timeChips(day), start: "", hint: "" });
      this.triggerEvent("change", { start: "" });
    },
    pickTime(e: WechatMiniprogram.BaseEvent) {
      const start = String(e.currentTarget.dataset.start);
      const time = (this.data.times as TimeChip[]).find((t) => t.start === start);
      if (!time || time.full) return;
      this.setData({ start });
      this.triggerEvent("change", { start });
    },
  },
});
