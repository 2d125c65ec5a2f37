import { Asset } from "../../assets/assets.entity.js";
import type { Config } from "../../config.js";
import type { StaffPrincipal } from "../../http/context.js";
import { todayInShanghai } from "../../http/time.js";
import { Member } from "../../members/members.entity.js";
import { StaffAccount } from "../../staff/staff.entity.js";
import { createStaff } from "../../staff/staff.service.js";
import { addCalendarDays, openingWindow, type OpeningWindow } from "../../stores/calendar.js";
import { Store } from "../../stores/stores.entity.js";
import type { Database } from "../database.js";
import { planBookings } from "./bookings.js";
import { planComplaints } from "./complaints.js";
import type { DemoContext, SeededMember } from "./context.js";
import { createDemoTemplates, planCoupons, PointsClock } from "./loyalty.js";
import { saveDemoMember } from "./members.js";
import { planOperations } from "./operations.js";
import { DEMO_PASSWORD, DEMO_STAFF, demoMembers } from "./people.js";
import { DemoRandom } from "./random.js";
import { DAY, Timeline } from "./timeline.js";

/** days of history before today */
const HISTORY_DAYS = 56;
const SEED = 20_261_202;
const DEMO_BCRYPT_ROUNDS = 4;
const ROLE_NAMES = { advisor: "顾问", agent: "客服", manager: "经理", admin: "管理员" } as const;

/** The demo staff (one password), more members, and about eight weeks of their visits, points, coupons and complaints up to `now`. */
export async function seedDemoHistory(db: Database, config: Config, now = new Date()): Promise<string> {
  const r = new DemoRandom(SEED);
  const today = todayInShanghai(now);
  const firstDay = addCalendarDays(today, -HISTORY_DAYS);
  const admin = await db.read((m) => m.findOneByOrFail(StaffAccount, { username: "admin" }));
  const staff: Record<string, StaffPrincipal> = { admin: { id: admin.id, username: admin.username, name: admin.name, role: admin.role, storeId: admin.storeId } };
  // the password is printed and in README: a higher bcrypt cost would protect nothing and cost a second at start
  for (const s of DEMO_STAFF) staff[s.username] = await createStaff(db, DEMO_BCRYPT_ROUNDS, null, { ...s, password: DEMO_PASSWORD });

  const historyStart = new Date(now.getTime() - HISTORY_DAYS * DAY);
  const generated = demoMembers(r);
  await db.tx(async (m) => {
    for (const spec of generated) await saveDemoMember(m, spec, new Date(historyStart.getTime() - spec.joinedDaysBefore * DAY));
  });
  const members = await db.read(async (m): Promise<SeededMember[]> => {
    const rows = await m.find(Member, { order: { id: "ASC" } });
    const assets = await m.find(Asset, { order: { id: "ASC" } });
    // seed.ts's demo-member-1 and -2 (the mini-program's dev logins) come regularly
    const weightOf = (openid: string) => generated.find((g) => g.openid === openid)?.weight ?? 3;
    return rows.map((row) => ({ id: row.id, memberCode: row.memberCode, nickname: row.nickname, storeId: row.storeId, weight: weightOf(row.openid), assets: assets.filter((a) => a.memberId === row.id) }));
  });
  const windows = await db.read(async (m) => {
    const map = new Map<string, OpeningWindow>();
    for (const store of await m.find(Store)) {
      for (let date = firstDay; date <= addCalendarDays(today, 1); date = addCalendarDays(date, 1)) map.set(`${store.id}:${date}`, await openingWindow(m, store, date));
    }
    return map;
  });

  const ctx: DemoContext = { db, config, r, now, firstDay, today, staff: staff as DemoContext["staff"], members, timeline: new Timeline() };
  const templates = await createDemoTemplates(ctx);
  planCoupons(ctx, templates);
  planBookings(ctx, windows);
  planComplaints(ctx, templates);
  planOperations(ctx);
  const points = new PointsClock(db, config.loyalty.pointsExpiryMonths);
  await points.start();
  await ctx.timeline.play(now, (at) => points.stamp(at));
  const names = DEMO_STAFF.map((s) => `${s.username}（${s.name}，${ROLE_NAMES[s.role]}，${s.storeId === 1 ? "浦东店" : "闵行店"}）`);
  return `演示员工账号，密码均为 ${DEMO_PASSWORD}：${names.join("、")}`;
}

