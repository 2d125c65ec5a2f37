import type { TestApp } from "../helpers/app.js";

/** Staff-side setup through the real API, so the member pages show realistic data. */
export async function givePoints(api: TestApp, memberId: number, delta: number, reason = "老客户回馈") {
  const manager = await api.loginStaff("manager", 1);
  await api.http.post("/api/v1/staff/points/adjustments").set("authorization", manager.auth).send({ memberId, delta, reason }).expect(200);
}

let orders = 0;
/** A maintenance bill paid at the store: points by the earning rules, counted toward the tier. */
export async function recordPurchase(api: TestApp, memberCode: string, amountFen: number) {
  const advisor = await api.loginStaff("advisor", 1);
  const orderNo = `WO${process.pid}x${++orders}`;
  const res = await api.http.post("/api/v1/staff/consumptions").set("authorization", advisor.auth).send({ memberCode, amountFen, category: "maintenance", orderNo });
  if (res.status >= 300) throw new Error(`consumption: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { pointsEarned: number; pointsBalance: number };
}

/** A coupon template members may claim or exchange; returns its id. */
export async function createCouponTemplate(api: TestApp, body: Record<string, unknown>): Promise<number> {
  const manager = await api.loginStaff("admin", null);
  const res = await api.http.post("/api/v1/staff/coupon-templates").set("authorization", manager.auth).send(body);
  if (res.status !== 201) throw new Error(`coupon template: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id;
}

/** The member row of a seeded openid (logs in through the dev login). */
export async function memberOf(api: TestApp, openid: string) {
  const { auth, member } = await api.loginMember(openid);
  return { auth, ...member };
}
