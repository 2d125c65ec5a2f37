import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { agentOnDuty, fileAsMember, outboxOf, staffView } from "../../helpers/complaints.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("complaint routing on %s", (kind) => {
  let s: TestApp;
  let member: string;
  beforeAll(async () => {
    s = await startTestApp(kind);
    member = (await s.loginMember("routing-member", 2)).auth;
  });
  afterAll(() => s.close());

  const owners = async (ids: number[], auth: string) => Promise.all(ids.map(async (id) => (await staffView(s, auth, id)).owner?.id ?? null));

  it("gives a new complaint to the on-duty agent of its team with the fewest open ones, ties to the longest idle", async () => {
    const manager = await s.loginStaff("manager", 2);
    const a = await agentOnDuty(s, 2);
    const b = await agentOnDuty(s, 2);
    await agentOnDuty(s, 2, "technical"); // another team: never gets a service complaint
    const off = await agentOnDuty(s, 2);
    await s.http.put("/api/v1/staff/complaint-duty").set("Authorization", off.auth).send({ onDuty: false }).expect(200);
    const filed = [];
    for (let i = 0; i < 4; i++) {
      filed.push((await fileAsMember(s, member, { storeId: 2, category: "waiting_time" })).id);
      s.clock.advance(1000);
    }
    // both idle at first (a by id), then b has fewer open, then both have one and a was idle longer, then b
    expect(await owners(filed, manager.auth)).toEqual([a.id, b.id, a.id, b.id]);
    const duty = await s.http.get("/api/v1/staff/complaint-duty").set("Authorization", a.auth).expect(200);
    expect(duty.body).toMatchObject({ onDuty: true, team: "service", openComplaints: 2 });
    const told = (await outboxOf(s, "complaint_assigned")).filter((o) => o.staffId === a.id);
    expect(told).toHaveLength(2);
  });

  it("never routes a complaint to the staff member it is about, who cannot open it, its notes or find it in lists", async () => {
    const store = 1;
    const accused = await agentOnDuty(s, store);
    const filed = await fileAsMember(s, member, { storeId: store, staffId: accused.id, content: "这位客服说话很难听" });
    const manager = await s.loginStaff("manager", store);
    expect((await staffView(s, manager.auth, filed.id))).toMatchObject({ status: "received", owner: null, accused: { id: accused.id } });
    const asAccused = (req: ReturnType<typeof s.http.get>) => req.set("Authorization", accused.auth);
    for (const res of [
      await asAccused(s.http.get(`/api/v1/staff/complaints/${filed.id}`)),
      await asAccused(s.http.post(`/api/v1/staff/complaints/${filed.id}/notes`).send({ body: "看看" })),
      await asAccused(s.http.post(`/api/v1/staff/complaints/${filed.id}/replies`).send({ body: "您好" })),
      await asAccused(s.http.post("/api/v1/staff/complaint-queue/take").send({ complaintId: filed.id })),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("COMPLAINT_NOT_FOUND");
    }
    expect((await asAccused(s.http.post("/api/v1/staff/complaint-queue/take").send({}))).body.error.code).toBe("COMPLAINT_QUEUE_EMPTY");
    const list = await asAccused(s.http.get("/api/v1/staff/complaints?pageSize=100")).expect(200);
    expect(list.body.items.map((c: { id: number }) => c.id)).not.toContain(filed.id);
    // the manager cannot hand it to the accused either
    const handed = await s.http.post(`/api/v1/staff/complaints/${filed.id}/handover`).set("Authorization", manager.auth).send({ toStaffId: accused.id });
    expect(handed.body.error.code).toBe("COMPLAINT_ACCUSED_EXCLUDED");
    // another agent takes it from the queue, oldest first
    const other = await agentOnDuty(s, store);
    const taken = await s.http.post("/api/v1/staff/complaint-queue/take").set("Authorization", other.auth).send({}).expect(200);
    expect(taken.body).toMatchObject({ id: filed.id, status: "assigned", owner: { id: other.id } });
  });

  it("keeps every owner in the history when a complaint is handed over, and only the owner or a manager may hand over", async () => {
    const store = 1;
    const first = await agentOnDuty(s, store, "technical");
    const once = (await s.loginMember("routing-handover", store)).auth; // a first complaint: not a repeat, so not major
    const filed = await fileAsMember(s, once, { storeId: store, category: "repair_quality", content: "异响没修好" });
    const second = await s.loginStaff("agent", store);
    const bystander = await s.loginStaff("agent", store);
    const refused = await s.http.post(`/api/v1/staff/complaints/${filed.id}/handover`).set("Authorization", bystander.auth).send({ toStaffId: bystander.id });
    expect(refused.body.error.code).toBe("COMPLAINT_NOT_OWNER");
    const otherStore = await s.loginStaff("agent", 2);
    const wrongStore = await s.http.post(`/api/v1/staff/complaints/${filed.id}/handover`).set("Authorization", first.auth).send({ toStaffId: otherStore.id });
    expect(wrongStore.body.error.code).toBe("COMPLAINT_STAFF_UNKNOWN");
    await s.http.post(`/api/v1/staff/complaints/${filed.id}/handover`).set("Authorization", first.auth).send({ toStaffId: second.id, note: "技术问题转技术主管" }).expect(204);
    const view = await staffView(s, second.auth, filed.id);
    expect(view.owner.id).toBe(second.id);
    const handOvers = view.events.filter((e: { type: string }) => e.type === "handed_over");
    expect(handOvers).toEqual([expect.objectContaining({ actor: expect.objectContaining({ id: first.id }), detail: { fromOwner: first.id, toOwner: second.id, note: "技术问题转技术主管" } })]);
    expect(view.events.map((e: { type: string }) => e.type)).toEqual(["received", "assigned", "handed_over"]);
  });

  it("lists the colleagues a complaint can be handed to: the store's active staff and those over every store, never oneself", async () => {
    const me = await s.loginStaff("agent", 2);
    const mate = await s.loginStaff("advisor", 2);
    const elsewhere = await s.loginStaff("agent", 1);
    const res = await s.http.get("/api/v1/staff/colleagues").set("Authorization", me.auth).expect(200);
    const ids = res.body.map((c: { id: number }) => c.id);
    expect(ids).toContain(mate.id);
    expect(ids).not.toContain(me.id);
    expect(ids).not.toContain(elsewhere.id);
    expect(res.body.find((c: { id: number }) => c.id === mate.id)).toEqual({ id: mate.id, name: "测试advisor", role: "advisor", roleName: "服务顾问", storeId: 2 });
    expect((await s.http.get("/api/v1/staff/colleagues?storeId=1").set("Authorization", me.auth)).body.error.code).toBe("STORE_SCOPE_FORBIDDEN");
  });

  it("shows staff of another store nothing, and advisors only what they took in", async () => {
    const filed = await fileAsMember(s, member, { storeId: 2, category: "other" });
    const elsewhere = await s.loginStaff("manager", 1);
    expect((await s.http.get(`/api/v1/staff/complaints/${filed.id}`).set("Authorization", elsewhere.auth)).status).toBe(404);
    const advisor = await s.loginStaff("advisor", 2);
    expect((await s.http.get(`/api/v1/staff/complaints/${filed.id}`).set("Authorization", advisor.auth)).status).toBe(404);
    const admin = await s.loginStaff("admin", null);
    expect((await s.http.get(`/api/v1/staff/complaints/${filed.id}`).set("Authorization", admin.auth)).status).toBe(200);
  });

  it("filters the staff list by status, owner, team, category and severity, with paging", async () => {
    const manager = await s.loginStaff("manager", 2);
    const all = await s.http.get("/api/v1/staff/complaints?storeId=2&pageSize=2&page=1").set("Authorization", manager.auth).expect(200);
    expect(all.body.items).toHaveLength(2);
    expect(all.body.total).toBeGreaterThan(2);
    const queued = await s.http.get("/api/v1/staff/complaints?owner=none&status=received").set("Authorization", manager.auth).expect(200);
    expect(queued.body.items.every((c: { owner: unknown; status: string }) => c.owner === null && c.status === "received")).toBe(true);
    const technical = await s.http.get("/api/v1/staff/complaints?team=technical&category=repair_quality").set("Authorization", manager.auth).expect(200);
    expect(technical.body.items.every((c: { team: string }) => c.team === "technical")).toBe(true);
    const bad = await s.http.get("/api/v1/staff/complaints?slaState=late").set("Authorization", manager.auth);
    expect(bad.status).toBe(400);
  });
});
