// Loads 工作台's figures in parallel; each figure fails on its own (one slow API does not blank the page).
import { fetchComplaints, type SlaState } from "../../api/complaints.js";
import { countCallTasks, fetchBookingsOfDay, fetchBotStatus, fetchUnreadCount, type BotAccount } from "../../api/dashboard.js";
import type { Staff } from "../../api/session.js";
import { chinaToday } from "../../utils/format.js";

export type Figure<T> = { value: T | null; error: string };

const OPEN_SLA: SlaState[] = ["on_track", "warning", "breached", "paused"];
const listOf = <T>(res: T[] | { items: T[] }) => (Array.isArray(res) ? res : res.items);
const totalOf = (query: Parameters<typeof fetchComplaints>[0]) => fetchComplaints({ ...query, pageSize: 1 }).then((p) => p.total);

async function figure<T>(load: () => Promise<T>): Promise<Figure<T>> {
  try {
    return { value: await load(), error: "" };
  } catch (err) {
    return { value: null, error: err instanceof Error ? err.message : "加载失败" };
  }
}

/** Every figure of the dashboard for one staff member. */
export async function loadDashboard(staff: Staff) {
  const storeId = staff.storeId ?? undefined;
  const agentLike = staff.role !== "advisor";
  const [bookings, mine, major, breached, calls, inbox, bot] = await Promise.all([
    figure(async () => (storeId ? listOf(await fetchBookingsOfDay({ date: chinaToday(), storeId })) : null)),
    figure(async () => {
      const counts = await Promise.all(OPEN_SLA.map((slaState) => totalOf({ owner: "me", slaState })));
      return Object.fromEntries(OPEN_SLA.map((s, i) => [s, counts[i]])) as Record<SlaState, number>;
    }),
    figure(() => totalOf({ severity: "major", storeId })),
    figure(() => totalOf({ slaState: "breached", storeId })),
    figure(() => countCallTasks({ status: "open", storeId })),
    figure(fetchUnreadCount),
    figure<BotAccount[] | null>(async () => (agentLike ? await fetchBotStatus() : null)),
  ]);
  return { bookings, mine, major, breached, calls, inbox, bot };
}
