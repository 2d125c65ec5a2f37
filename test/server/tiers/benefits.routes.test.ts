import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Member } from "../../../server/members/members.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("tiers and counted benefits on %s", (kind) => {
  let s: TestApp;
  let advisor: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    advisor = (await s.loginStaff("advisor", 1)).auth;
  });
  afterAll(() => s.close());

  it("publishes the default tiers with thresholds and benefits", async () => {
    const tiers = (await s.http.get("/api/v1/loyalty/tiers").expect(200)).body;
    expect(tiers.map((t: { name: string; threshold: number }) => [t.name, t.threshold])).toEqual([
      ["普卡", 0],
      ["银卡", 1000],
      ["金卡", 5000],
      ["钻石卡", 15000],
    ]);
    expect(tiers[2]).toMatchObject({ labourDiscountPct: 10, benefits: expect.arrayContaining([{ code: "pickup_delivery", name: "免费上门取送车", quota: 1, period: "month" }]) });
  });

  it("shows a gold member what is left this month and counts each use once per work order", async () => {
    const { auth, member } = await s.loginMember("benefit-1", 1);
    await s.t.dataSource.manager.update(Member, { id: member.id }, { tierCode: "gold" });
    const before = (await s.http.get("/api/v1/me/benefits").set("Authorization", auth).expect(200)).body;
    expect(before.find((b: { code: string }) => b.code === "free_inspection")).toMatchObject({ quota: 4, used: 0, remaining: 4, period: "month" });
    const use = { memberCode: member.memberCode, benefitCode: "pickup_delivery", reference: "WO-77" };
    const first = await s.http.post("/api/v1/staff/benefits/redeem").set("Authorization", advisor).send(use).expect(200);
    expect(first.body).toMatchObject({ remaining: 0, replayed: false });
    const retry = await s.http.post("/api/v1/staff/benefits/redeem").set("Authorization", advisor).send(use).expect(200);
    expect(retry.body).toMatchObject({ remaining: 0, replayed: true });
    const more = await s.http.post("/api/v1/staff/benefits/redeem").set("Authorization", advisor).send({ ...use, reference: "WO-78" });
    expect(more.status).toBe(409);
    expect(more.body.error.code).toBe("BENEFIT_EXHAUSTED");
    const after = (await s.http.get("/api/v1/me/benefits").set("Authorization", auth).expect(200)).body;
    expect(after.find((b: { code: string }) => b.code === "pickup_delivery")).toMatchObject({ used: 1, remaining: 0 });
  });

  it("refuses a benefit the member's tier does not have", async () => {
    const { member } = await s.loginMember("benefit-2", 1);
    const res = await s.http.post("/api/v1/staff/benefits/redeem").set("Authorization", advisor).send({ memberCode: member.memberCode, benefitCode: "loaner_car", reference: "WO-1" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("BENEFIT_NOT_AVAILABLE");
  });

});

describe.each(DATABASE_KINDS)("loyalty settings on %s", (kind) => {
  let s: TestApp;
  let admin: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    admin = (await s.loginStaff("admin", null)).auth;
  });
  afterAll(() => s.close());

  it("lets the admin change a threshold, but only in rising order", async () => {
    await s.http.patch("/api/v1/staff/loyalty/tiers/gold").set("Authorization", admin).send({ threshold: 6000, labourDiscountPct: 12 }).expect(200);
    const tiers = (await s.http.get("/api/v1/loyalty/tiers")).body;
    expect(tiers[2]).toMatchObject({ code: "gold", threshold: 6000, labourDiscountPct: 12 });
    const bad = await s.http.patch("/api/v1/staff/loyalty/tiers/silver").set("Authorization", admin).send({ threshold: 7000 });
    expect(bad.status).toBe(400);
    expect((await s.http.get("/api/v1/loyalty/tiers")).body[1].threshold).toBe(1000);
    const manager = (await s.loginStaff("manager", null)).auth;
    expect((await s.http.patch("/api/v1/staff/loyalty/tiers/gold").set("Authorization", manager).send({ threshold: 1 })).status).toBe(403);
  });

  it("sets benefits, category multipliers and action rules that earning uses at once", async () => {
    await s.http.put("/api/v1/staff/loyalty/benefits").set("Authorization", admin).send({ tierCode: "silver", code: "loaner_car", name: "代步车", quota: 1, period: "year" }).expect(200);
    expect((await s.http.get("/api/v1/loyalty/tiers")).body[1].benefits).toContainEqual({ code: "loaner_car", name: "代步车", quota: 1, period: "year" });
    await s.http.put("/api/v1/staff/loyalty/categories/tyres").set("Authorization", admin).send({ name: "轮胎", multiplierPct: 200, active: true }).expect(200);
    await s.http.put("/api/v1/staff/loyalty/rules/store_event").set("Authorization", admin).send({ name: "参加门店活动", points: 300, active: true }).expect(200);
    const { member } = await s.loginMember("settings-1", 1);
    const advisor = (await s.loginStaff("advisor", 1)).auth;
    const bought = await s.http.post("/api/v1/staff/consumptions").set("Authorization", advisor).send({ memberId: member.id, amountFen: 10_000, category: "tyres", orderNo: "TY-1" }).expect(200);
    expect(bought.body.pointsEarned).toBe(200);
    const event = await s.http.post("/api/v1/staff/points/actions").set("Authorization", advisor).send({ memberId: member.id, rule: "store_event", reference: "EV-1" }).expect(200);
    expect(event.body.points).toBe(300);
  });
});
