import { expect } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import type { DatabaseKind } from "../../helpers/databases.js";
import { agentOnDuty, fileAsMember } from "../../helpers/complaints.js";

export const investigation = {
  cause: "接待顾问未按流程告知等待时间",
  course: "客户到店后等待 40 分钟无人接待",
  responsible: "前台接待组",
  conclusion: "投诉属实",
  corrective: "当面致歉并安排专人跟进",
  preventive: "高峰时段增加接待人员，每 15 分钟巡查等待区",
};

export type Staff = { auth: string; id: number };

/** A store-1 world: an on-duty agent (who gets every member complaint), managers, an admin, and a manager who is the accused. */
export async function complaintWorld(s: TestApp) {
  const agent = await agentOnDuty(s, 1);
  const manager = await s.loginStaff("manager", 1);
  const admin = await s.loginStaff("admin", null);
  const accused = await s.loginStaff("manager", 1);
  return { agent, manager, admin, accused };
}
export type World = Awaited<ReturnType<typeof complaintWorld>>;

/** A fresh app at 10:00 Shanghai on 2026-11-24 with its complaint world. */
export async function startWorld(kind: DatabaseKind) {
  const s = await startTestApp(kind);
  s.clock.set("2026-11-24T02:00:00Z");
  return { s, w: await complaintWorld(s) };
}

let members = 0;

/** A new member files a complaint about the accused; the on-duty agent owns it. */
export async function assignedComplaint(s: TestApp, w: World) {
  const { auth, member } = await s.loginMember(`aftercare-${process.pid}-${++members}`, 1);
  const filed = await fileAsMember(s, auth, { staffId: w.accused.id, storeId: 1 });
  const view = (await s.http.get(`/api/v1/staff/complaints/${filed.id}`).set("Authorization", w.agent.auth).expect(200)).body;
  expect(view.owner?.id).toBe(w.agent.id);
  return { id: filed.id as number, number: filed.number, member, memberAuth: auth };
}

/** A staff-channel coupon template worth `valueFen`. */
export async function staffTemplate(s: TestApp, manager: Staff, valueFen: number, totalStock = 100, over: Record<string, unknown> = {}) {
  const res = await s.http.post("/api/v1/staff/coupon-templates").set("Authorization", manager.auth)
    .send({ name: `补偿券${valueFen}`, kind: "cash", valueFen, validDays: 30, totalStock, channel: "staff", ...over });
  expect(res.status).toBe(201);
  return res.body.id as number;
}

export const resolveBody = (compensation?: Record<string, unknown>) => ({ investigation, reply: "非常抱歉给您带来不便，我们已对接待人员进行培训。", ...(compensation ? { compensation } : {}) });

export const resolve = (s: TestApp, auth: string, id: number, body: Record<string, unknown> = resolveBody()) =>
  s.http.post(`/api/v1/staff/complaints/${id}/resolve`).set("Authorization", auth).send(body);

/** Rows of a raw count query as a number. */
export async function count(s: TestApp, sql: string, params: unknown[] = []) {
  const [row] = await s.t.dataSource.query(sql, params);
  return Number(row.n);
}
