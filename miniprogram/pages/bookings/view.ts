import { STATUS_TEXT, type Booking, type Store } from "../../services/bookings";
import { shanghaiDateTime } from "../../utils/format";

/** A booking as the member reads it in lists and on its page. */
export interface BookingView {
  id: number;
  bookingNo: string;
  status: string;
  statusText: string;
  theme: "primary" | "success" | "warning" | "default" | "danger";
  timeText: string;
  servicesText: string;
  plate: string;
  storeName: string;
  cancelText: string;
}

const THEMES: Record<string, BookingView["theme"]> = { booked: "primary", checked_in: "warning", in_service: "warning", ready_for_pickup: "success", completed: "default", cancelled: "default", no_show: "danger" };

/** "2026-12-05 10:00–11:00" in China time. */
export function timeRange(b: Pick<Booking, "start" | "end">): string {
  const start = shanghaiDateTime(b.start);
  const end = shanghaiDateTime(b.end);
  return `${start}–${end.slice(0, 10) === start.slice(0, 10) ? end.slice(11) : end}`;
}

export function toView(b: Booking, stores: Store[]): BookingView {
  const cancelText = b.status !== "cancelled" ? "" : b.cancelledBy === "store" ? `门店已取消${b.cancelReason ? `：${b.cancelReason}` : ""}` : "您已取消该预约";
  return {
    id: b.id,
    bookingNo: b.bookingNo,
    status: b.status,
    statusText: STATUS_TEXT[b.status] ?? b.status,
    theme: THEMES[b.status] ?? "default",
    timeText: timeRange(b),
    servicesText: b.services.map((s) => s.name ?? "已停用的项目").join("、"),
    plate: b.plate ?? "",
    storeName: stores.find((s) => s.id === b.storeId)?.name ?? "",
    cancelText,
  };
}
