import { reactive } from "vue";

export type StaffRole = "advisor" | "agent" | "manager" | "admin";
export interface Staff {
  id: number;
  username: string;
  name: string;
  role: StaffRole;
  storeId: number | null;
}

// sessionStorage: desk PCs are shared, so a sign-in lives only as long as the tab.
const KEY = "console.session";

function load(): { token: string | null; staff: Staff | null } {
  try {
    const saved = JSON.parse(sessionStorage.getItem(KEY) ?? "null");
    if (saved?.token && saved?.staff) return saved;
  } catch {
    // a damaged entry means signed out
  }
  return { token: null, staff: null };
}

export const session = reactive(load());

/** Keeps the signed-in staff member and their token for this tab. */
export function saveSession(token: string, staff: Staff) {
  session.token = token;
  session.staff = staff;
  sessionStorage.setItem(KEY, JSON.stringify({ token, staff }));
}

/** Forgets the sign-in (logout or a 401). */
export function clearSession() {
  session.token = null;
  session.staff = null;
  sessionStorage.removeItem(KEY);
}

export const ROLE_NAMES: Record<StaffRole, string> = { advisor: "服务顾问", agent: "客服", manager: "经理", admin: "管理员" };
