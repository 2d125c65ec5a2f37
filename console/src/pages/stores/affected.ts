// Shared by the hours and closure forms: how a booking a change would affect is shown.
import type { PrimaryTableCol } from "tdesign-vue-next";
import { chinaTime } from "../../utils/format.js";

export const WEEKDAYS = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];
export const BAY_KINDS: Record<"lift" | "inspection", string> = { lift: "举升工位", inspection: "检测工位" };
const CHANNELS: Record<string, string> = { miniprogram: "小程序", phone: "电话", walk_in: "到店" };

export const affectedColumns: PrimaryTableCol[] = [
  { colKey: "bookingNo", title: "预约号", width: 170 },
  { colKey: "start", title: "时间", width: 150, cell: (_h, { row }) => chinaTime(row.start) },
  { colKey: "member", title: "会员", cell: (_h, { row }) => `${row.memberName ?? "—"} ${row.memberPhone ?? ""}` },
  { colKey: "channel", title: "来源", width: 90, cell: (_h, { row }) => CHANNELS[row.channel] ?? row.channel },
];

/** Half-hour steps the server accepts (HH:00 or HH:30). */
export const TIMES = Array.from({ length: 48 }, (_, i) => `${String(Math.floor(i / 2)).padStart(2, "0")}:${i % 2 ? "30" : "00"}`).map((t) => ({ label: t, value: t }));
