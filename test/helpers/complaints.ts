import { OutboxMessage } from "../../server/notify/notify.entity.js";
import type { TestApp } from "./app.js";

/** A complaint body a member would send from the mini-program. */
export const complaintBody = (over: Record<string, unknown> = {}) => ({ category: "service_attitude", content: "前台接待态度冷淡，等了半小时没人理", demand: "apology", ...over });

/** An agent of the store, logged in and on duty for the team. */
export async function agentOnDuty(s: TestApp, storeId: number | null, team = "service") {
  const agent = await s.loginStaff("agent", storeId);
  await s.http.put("/api/v1/staff/complaint-duty").set("Authorization", agent.auth).send({ onDuty: true, team }).expect(200);
  return agent;
}

/** Files a complaint as the member and returns the member's view of it. */
export async function fileAsMember(s: TestApp, auth: string, over: Record<string, unknown> = {}) {
  const res = await s.http.post("/api/v1/complaints").set("Authorization", auth).send(complaintBody(over));
  if (res.status !== 201) throw new Error(`complaint not filed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: number; number: string; status: string; statusText: string; plate: string | null };
}

/** The staff view of a complaint. */
export async function staffView(s: TestApp, auth: string, id: number) {
  return (await s.http.get(`/api/v1/staff/complaints/${id}`).set("Authorization", auth).expect(200)).body;
}

/** Outbox rows of a kind, oldest first. */
export const outboxOf = (s: TestApp, kind: string) => s.t.dataSource.manager.find(OutboxMessage, { where: { kind }, order: { id: "ASC" } });
