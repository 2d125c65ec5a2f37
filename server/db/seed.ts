import { randomBytes } from "node:crypto";
import type { Config } from "../config.js";
import { StaffAccount } from "../staff/staff.entity.js";
import { createStaff } from "../staff/staff.service.js";
import { ServiceBay, ServiceType, Store, StoreHours, Technician, type BayKind } from "../stores/stores.entity.js";
import type { Database } from "./database.js";
import { seedDemoFaqs } from "../faq/faq.seed.js";
import { seedDemoHistory } from "./demo/history.js";
import { saveDemoMember } from "./demo/members.js";

const STORES = [
  { code: "SH-PD", name: "星途汽车4S店（浦东店）", address: "上海市浦东新区张杨路 1888 号", phone: "021-58880001", city: "上海" },
  { code: "SH-MH", name: "星途汽车4S店（闵行店）", address: "上海市闵行区沪闵路 6000 号", phone: "021-64880002", city: "上海" },
];

const SERVICE_TYPES = [
  { code: "maintenance", name: "保养", durationMinutes: 60, bayKind: "lift" as const },
  { code: "repair", name: "维修", durationMinutes: 120, bayKind: "lift" as const },
  { code: "inspection", name: "检测", durationMinutes: 30, bayKind: "inspection" as const },
  { code: "pickup_delivery", name: "上门取送车", durationMinutes: 60, bayKind: null },
  { code: "annual_inspection", name: "年检代办", durationMinutes: 90, bayKind: "inspection" as const },
];

// Store 1 closes on Sundays and statutory holidays; store 2 opens every day.
const HOURS = [
  { weekdays: [1, 2, 3, 4, 5, 6], opensAt: "08:30", closesAt: "18:00" },
  { weekdays: [0, 1, 2, 3, 4, 5, 6], opensAt: "09:00", closesAt: "17:30" },
];
const BAYS = [
  { lift: 3, inspection: 1 },
  { lift: 2, inspection: 1 },
];
const TECHNICIANS = [
  ["王师傅", "maintenance,repair,inspection,annual_inspection"],
  ["刘师傅", "maintenance,inspection"],
  ["陈师傅", "maintenance,repair"],
];

const DEMO_MEMBERS = [
  { openid: "demo-member-1", nickname: "张先生", phone: "13800138001", birthday: "1988-03-15", gender: "male" as const, cars: [{ plate: "沪A12345", model: "星途 揽月 2.0T", vinLast6: "A12345", purchaseDate: "2023-05-20", mileage: 28600 }] },
  { openid: "demo-member-2", nickname: "李女士", phone: "13900139002", birthday: "1992-11-02", gender: "female" as const, cars: [{ plate: "沪AD23456", model: "星途 星纪元 ES", vinLast6: "B23456", purchaseDate: "2024-08-08", mileage: 9800 }] },
  { openid: "demo-member-3", nickname: "王先生", phone: null, birthday: null, gender: "unknown" as const, cars: [] },
];

/** Fills an empty database with stores, service types and demo members (when enabled). Runs once: it stops if stores exist. */
async function seedDemoData(db: Database, withMembers: boolean): Promise<boolean> {
  return db.tx(async (m) => {
    if ((await m.count(Store)) > 0) return false;
    const now = new Date();
    // Explicit ids: on a Galera cluster auto-increment ids are interleaved by node (1, 4, 7 … or 3, 6 …
    // depending on the node), and the demo data should read the same everywhere: store 1, service type 1.
    const stores = await m.save(STORES.map((s, i) => m.create(Store, { id: i + 1, ...s, active: true, closedOnHolidays: i === 0, createdAt: now })));
    await m.save(SERVICE_TYPES.map((s, i) => m.create(ServiceType, { id: i + 1, ...s, active: true, createdAt: now })));
    for (const [i, store] of stores.entries()) {
      const { weekdays, opensAt, closesAt } = HOURS[i];
      await m.insert(StoreHours, weekdays.map((weekday) => ({ storeId: store.id, weekday, opensAt, closesAt })));
      const bays = Object.entries(BAYS[i]).flatMap(([kind, n]) => Array.from({ length: n }, (_, k) => ({ storeId: store.id, kind: kind as BayKind, name: `${kind === "lift" ? "举升工位" : "检测工位"} ${k + 1}`, active: true })));
      await m.insert(ServiceBay, bays);
      await m.insert(Technician, TECHNICIANS.map(([name, skills]) => ({ storeId: store.id, name, skills, active: true })));
    }
    if (!withMembers) return true;
    for (const [i, demo] of DEMO_MEMBERS.entries()) await saveDemoMember(m, { ...demo, storeId: stores[i % stores.length].id }, now);
    return true;
  });
}

/** Creates the `admin` account on first start; a generated password is returned so main.ts can print it once. */
async function seedAdmin(db: Database, config: Config): Promise<string | null> {
  if (await db.read((m) => m.findOneBy(StaffAccount, { username: "admin" }))) return null;
  const password = config.adminPassword ?? randomBytes(9).toString("base64url") + "7a";
  await createStaff(db, config.bcryptRounds, null, { username: "admin", password, name: "系统管理员", role: "admin", storeId: null });
  return config.adminPassword ? null : password;
}

/**
 * Seeds a new database: the demo data when SEED_DEMO is on (and its history when SEED_DEMO_HISTORY is,
 * in the same once-only guard: only on the start that created the stores), the FAQ set and admin.
 * `demoAccounts` is the line main.ts prints about the demo staff, null when none were created.
 */
export async function seed(db: Database, config: Config, now = new Date()) {
  const seeded = config.seedDemo ? await seedDemoData(db, true) : false;
  if (config.seedDemo) await seedDemoFaqs(db);
  const generatedAdminPassword = await seedAdmin(db, config);
  const demoAccounts = seeded && config.seedDemoHistory ? await seedDemoHistory(db, config, now) : null;
  return { seeded, generatedAdminPassword, demoAccounts };
}
