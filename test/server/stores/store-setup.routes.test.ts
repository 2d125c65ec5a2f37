import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { todayInShanghai } from "../../../server/http/time.js";
import { addCalendarDays, dayKind } from "../../../server/stores/calendar.js";
import { StoreHours } from "../../../server/stores/stores.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { nextOpenDate } from "../../helpers/booking.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

/** The next ordinary Sunday (no make-up working day) within the booking horizon. */
function nextSunday(): string {
  for (let date = addCalendarDays(todayInShanghai(), 1); ; date = addCalendarDays(date, 1)) {
    if (new Date(`${date}T00:00:00Z`).getUTCDay() === 0 && dayKind(date) === "normal") return date;
  }
}

describe.each(DATABASE_KINDS)("store setup on %s", (kind) => {
  let s: TestApp;
  let manager: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    manager = (await s.loginStaff("manager", 1)).auth;
  });
  afterAll(() => s.close());

  const slotsOn = async (date: string, serviceIds = "1") => (await s.http.get(`/api/v1/slots?storeId=1&date=${date}&serviceIds=${serviceIds}`).expect(200)).body;

  it("opens store 1 on Sundays when the manager sets the week's hours", async () => {
    const sunday = nextSunday();
    expect((await slotsOn(sunday)).closedReason).toBe("门店当天不营业");
    const week = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opensAt: "09:00", closesAt: weekday === 0 ? "12:00" : "18:00" }));
    const res = await s.http.put("/api/v1/staff/stores/1/hours").set("Authorization", manager).send({ week }).expect(200);
    expect(res.body.week).toHaveLength(7);
    const slots = await slotsOn(sunday);
    expect(slots.slots.at(-1).end).toBe(new Date(`${sunday}T04:00:00Z`).toISOString()); // 12:00 in Shanghai
  });

  it("refuses hours that close before they open, and changes nothing", async () => {
    const before = await s.t.dataSource.manager.countBy(StoreHours, { storeId: 1 });
    const res = await s.http.put("/api/v1/staff/stores/1/hours").set("Authorization", manager).send({ week: [{ weekday: 1, opensAt: "18:00", closesAt: "09:00" }] });
    expect(res.status).toBe(400);
    expect(await s.t.dataSource.manager.countBy(StoreHours, { storeId: 1 })).toBe(before);
    expect((await s.http.put("/api/v1/staff/stores/1/hours").set("Authorization", manager).send({ week: [{ weekday: 1, opensAt: "9:00", closesAt: "18:00" }] })).status).toBe(400);
  });

  it("closes a date and opens it again", async () => {
    const date = nextOpenDate(3);
    await s.http.post("/api/v1/staff/stores/1/closures").set("Authorization", manager).send({ date, reason: "员工培训" }).expect(201);
    expect((await slotsOn(date)).closedReason).toBe("门店休息：员工培训");
    await s.http.delete(`/api/v1/staff/stores/1/closures/${date}`).set("Authorization", manager).expect(200);
    expect((await slotsOn(date)).closedReason).toBeNull();
  });

  it("lowers capacity at once when a bay goes out of service, and adds technicians with known skills", async () => {
    const date = nextOpenDate(3);
    const setup = (await s.http.get("/api/v1/staff/stores/1/setup").set("Authorization", manager).expect(200)).body;
    const lift = setup.bays.find((b: { kind: string }) => b.kind === "lift");
    await s.http.put(`/api/v1/staff/stores/1/bays/${lift.id}/active`).set("Authorization", manager).send({ active: false }).expect(200);
    expect((await slotsOn(date)).slots[0].available).toBe(2);
    await s.http.post("/api/v1/staff/stores/1/technicians").set("Authorization", manager).send({ name: "赵师傅", skills: ["maintenance"] }).expect(201);
    const bad = await s.http.post("/api/v1/staff/stores/1/technicians").set("Authorization", manager).send({ name: "钱师傅", skills: ["welding"] });
    expect(bad.body.error.code).toBe("SERVICE_UNKNOWN");
  });

  it("keeps advisors and other stores' managers out", async () => {
    const advisor = (await s.loginStaff("advisor", 1)).auth;
    const otherManager = (await s.loginStaff("manager", 2)).auth;
    const body = { date: nextOpenDate(3), reason: "测试" };
    expect((await s.http.post("/api/v1/staff/stores/1/closures").set("Authorization", advisor).send(body)).status).toBe(403);
    const cross = await s.http.post("/api/v1/staff/stores/1/closures").set("Authorization", otherManager).send(body);
    expect(cross.body.error.code).toBe("STORE_SCOPE_FORBIDDEN");
  });
});

describe.each(DATABASE_KINDS)("opening a store on %s", (kind) => {
  it("lets an admin open a store that members can join and managers set up, and close it again", async () => {
    const s = await startTestApp(kind);
    try {
      const admin = (await s.loginStaff("admin", null)).auth;
      const body = { code: "SH-JD", name: "星途汽车4S店（嘉定店）", address: "上海市嘉定区曹安公路 1 号", phone: "021-59990003" };
      expect((await s.http.post("/api/v1/staff/stores").set("Authorization", (await s.loginStaff("manager", null)).auth).send(body)).status).toBe(403);
      const store = (await s.http.post("/api/v1/staff/stores").set("Authorization", admin).send(body).expect(201)).body;
      expect((await s.http.post("/api/v1/staff/stores").set("Authorization", admin).send(body)).status).toBe(400);
      const member = await s.loginMember("jd-member", store.id);
      expect(member.member.storeId).toBe(store.id);
      const date = nextOpenDate(3);
      expect((await s.http.get(`/api/v1/slots?storeId=${store.id}&date=${date}&serviceIds=1`).expect(200)).body.closedReason).toBe("门店当天不营业");
      await s.http.put(`/api/v1/staff/stores/${store.id}/hours`).set("Authorization", admin).send({ week: [1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, opensAt: "09:00", closesAt: "17:00" })) }).expect(200);
      await s.http.post(`/api/v1/staff/stores/${store.id}/bays`).set("Authorization", admin).send({ kind: "lift", name: "举升工位 1" }).expect(201);
      expect((await s.http.get(`/api/v1/slots?storeId=${store.id}&date=${date}&serviceIds=1`).expect(200)).body.slots[0].available).toBe(1);
      await s.http.patch(`/api/v1/staff/stores/${store.id}`).set("Authorization", admin).send({ active: false }).expect(200);
      expect((await s.http.get("/api/v1/stores")).body.map((x: { id: number }) => x.id)).not.toContain(store.id);
      expect((await s.http.get(`/api/v1/slots?storeId=${store.id}&date=${date}&serviceIds=1`)).body.error.code).toBe("STORE_NOT_FOUND");
    } finally {
      await s.close();
    }
  });
});
