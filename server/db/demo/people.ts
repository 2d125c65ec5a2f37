import type { StaffRole } from "../../staff/staff.entity.js";
import type { MemberSpec } from "./members.js";
import type { DemoRandom } from "./random.js";

/** The one password of every demo staff account (README: 首次启动会自动建库…); never created in production. */
export const DEMO_PASSWORD = "demo2026";

export interface DemoStaff {
  username: string;
  name: string;
  role: StaffRole;
  storeId: number;
}

export const DEMO_STAFF: DemoStaff[] = [
  { username: "advisor1", name: "陈思远", role: "advisor", storeId: 1 },
  { username: "agent1", name: "林晓雨", role: "agent", storeId: 1 },
  { username: "manager1", name: "赵建国", role: "manager", storeId: 1 },
  { username: "advisor2", name: "何志强", role: "advisor", storeId: 2 },
  { username: "agent2", name: "孙悦", role: "agent", storeId: 2 },
];

export interface DemoCar {
  plate: string;
  model: string;
  vinLast6: string;
  purchaseDate: string;
  mileage: number;
}

/** A member as saveDemoMember saves it (phone fake: 1380013xxxx / 1390013xxxx), and how they take part in the history. */
export interface DemoMember extends MemberSpec {
  /** days before the history's first day that the member joined */
  joinedDaysBefore: number;
  /** how often they come: a share of the store's bookings */
  weight: number;
}

const SURNAMES = ["陈", "刘", "杨", "黄", "赵", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹"];
const GIVEN = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "杰", "婷", "军", "涛", "明", "超", "霞", "平", "刚", "桂英", "建华", "文博", "思琪", "子涵", "浩然", "雨桐", "志远", "佳怡"];
const MODELS = ["星途 揽月 2.0T", "星途 瑶光 2.0T", "星途 凌云 400T", "星途 追风 1.6T", "星途 星纪元 ES", "星途 星纪元 ET", "星途 TXL 1.6T"];
const LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ";

function plateOf(r: DemoRandom, electric: boolean, taken: Set<string>): string {
  for (;;) {
    const tail = electric ? `${r.pick(["D", "F"])}${r.int(10000, 99999)}` : `${r.pick([...LETTERS])}${r.int(1000, 9999)}${r.pick([...LETTERS])}`;
    const plate = `沪A${tail}`;
    if (!taken.has(plate)) return taken.add(plate), plate;
  }
}

/** 33 members beyond seed.ts's three, drawn from the PRNG: names, fake phones, 沪A plates, 星途 cars. */
export function demoMembers(r: DemoRandom): DemoMember[] {
  const plates = new Set(["沪A12345", "沪AD23456"]);
  return Array.from({ length: 33 }, (_, i) => {
    const gender = r.chance(0.6) ? ("male" as const) : ("female" as const);
    const surname = SURNAMES[i % SURNAMES.length];
    const nickname = r.chance(0.5) ? `${surname}${gender === "male" ? "先生" : "女士"}` : `${surname}${r.pick(GIVEN)}`;
    const carCount = r.chance(0.15) ? 2 : 1;
    const cars = Array.from({ length: carCount }, () => {
      const model = r.pick(MODELS);
      const year = r.int(2019, 2025);
      const purchaseDate = `${year}-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}`;
      return { plate: plateOf(r, model.includes("星纪元"), plates), model, vinLast6: `${r.pick([...LETTERS])}${r.int(10000, 99999)}`, purchaseDate, mileage: (2026 - year) * r.int(9000, 16000) + r.int(500, 3000) };
    });
    return {
      openid: `demo-member-${i + 4}`,
      nickname,
      phone: r.chance(0.9) ? `1${r.pick(["38", "39"])}0013${String(4000 + i * 37).padStart(4, "0")}` : null,
      birthday: r.chance(0.7) ? `${r.int(1965, 2000)}-${String(r.int(1, 12)).padStart(2, "0")}-${String(r.int(1, 28)).padStart(2, "0")}` : null,
      gender,
      storeId: i % 5 < 3 ? 1 : 2,
      joinedDaysBefore: r.int(20, 500),
      // a few regulars come often and climb the tiers; most come once or twice in 8 weeks
      weight: i % 9 === 0 ? 5 : i % 4 === 0 ? 3 : 1,
      cars,
    };
  });
}
