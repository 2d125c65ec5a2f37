// Places a day's bookings on lanes by bay kind, each lane as many rows as it has bays.
import type { Booking, StoreSetup } from "../../api/bookings.js";

// The server's service list (GET /service-types) does not say which bay a service takes; this
// mirrors the seeded service types (server/db/seed.ts) until it does.
const BAY_OF_SERVICE: Record<string, string> = { maintenance: "lift", repair: "lift", inspection: "inspection", annual_inspection: "inspection" };
const KIND_NAMES: Record<string, string> = { lift: "举升工位", inspection: "检测工位", none: "不占工位（取送车等）" };

export interface Placed {
  booking: Booking;
  row: number;
  /** minutes after the day's opening */
  from: number;
  to: number;
}
export interface Lane {
  kind: string;
  name: string;
  capacity: number;
  rows: number;
  items: Placed[];
}

const DAY = 86_400_000;
/** Minutes since midnight in China time. */
export const chinaMinutes = (iso: string) => Math.floor(((Date.parse(iso) + 8 * 3_600_000) % DAY) / 60_000);
export const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
const toMinutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));

export function bayKindOf(b: Booking): string {
  for (const s of b.services) if (s.code && BAY_OF_SERVICE[s.code]) return BAY_OF_SERVICE[s.code];
  return "none";
}

/** Opening hours of the date's weekday, widened to cover every booking. */
export function dayWindow(setup: StoreSetup | null, date: string, bookings: Booking[]): { open: number; close: number; closed: boolean } {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay() || 7;
  const hours = setup?.week.find((w) => w.weekday === weekday || (weekday === 7 && w.weekday === 0));
  let open = hours ? toMinutes(hours.opensAt) : 8 * 60;
  let close = hours ? toMinutes(hours.closesAt) : 18 * 60;
  for (const b of bookings) {
    open = Math.min(open, chinaMinutes(b.start));
    close = Math.max(close, chinaMinutes(b.end) || 24 * 60);
  }
  return { open: Math.floor(open / 60) * 60, close: Math.ceil(close / 60) * 60, closed: !hours };
}

export function buildLanes(setup: StoreSetup | null, bookings: Booking[], open: number): Lane[] {
  const kinds = new Map<string, number>();
  for (const bay of setup?.bays ?? []) if (bay.active) kinds.set(bay.kind, (kinds.get(bay.kind) ?? 0) + 1);
  const lanes = new Map<string, Lane>();
  for (const [kind, capacity] of kinds) lanes.set(kind, { kind, name: KIND_NAMES[kind] ?? kind, capacity, rows: capacity, items: [] });
  const shown = bookings.filter((b) => b.status !== "cancelled");
  for (const b of shown) {
    const kind = bayKindOf(b);
    if (!lanes.has(kind)) lanes.set(kind, { kind, name: KIND_NAMES[kind] ?? kind, capacity: 0, rows: 0, items: [] });
    const lane = lanes.get(kind)!;
    const from = chinaMinutes(b.start) - open;
    const to = Math.max(from + 15, (chinaMinutes(b.end) || 24 * 60) - open);
    // first row free at that time; a row beyond capacity shows an overbooking
    let row = 0;
    while (lane.items.some((p) => p.row === row && p.from < to && from < p.to)) row++;
    lane.items.push({ booking: b, row, from, to });
    lane.rows = Math.max(lane.rows, row + 1, 1);
  }
  return [...lanes.values()];
}

export const isLate = (b: Booking) => Object.values(b.lateness).some(Boolean);
export const LATE_NAMES: Record<keyof Booking["lateness"], string> = { response: "超时未响应", arrival: "取车超时", onSite: "到店未开工", fix: "超时未完工" };
export const STATUS_NAMES: Record<string, string> = { booked: "已预约", checked_in: "已到店", in_service: "施工中", ready_for_pickup: "待取车", completed: "已交车", cancelled: "已取消", no_show: "未到店" };
