import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestApp } from "../../helpers/app.js";
import { outboxOf, staffView } from "../../helpers/complaints.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { assignedComplaint, count, investigation, resolve, resolveBody, staffTemplate, startWorld, type World } from "./resolution.fixtures.js";

describe.each(DATABASE_KINDS)("complaint resolution and compensation on %s", (kind) => {
  let s: TestApp;
  let w: World;
  beforeAll(async () => ({ s, w } = await startWorld(kind)));
  afterAll(() => s.close());

  const approve = (auth: string, id: number, body: Record<string, unknown> = { approve: true }) => s.http.post(`/api/v1/staff/complaints/${id}/approval`).set("Authorization", auth).send(body);

  it("refuses to resolve without the whole investigation report, changing nothing", async () => {
    const c = await assignedComplaint(s, w);
    const none = await resolve(s, w.agent.auth, c.id, { reply: "已处理" });
    expect(none.status).toBe(400);
    expect(none.body.error.code).toBe("COMPLAINT_INVESTIGATION_REQUIRED");
    const partial = await resolve(s, w.agent.auth, c.id, { investigation: { ...investigation, preventive: "  ", corrective: undefined }, reply: "已处理" });
    expect(partial.status).toBe(400);
    expect(partial.body.error).toMatchObject({ code: "COMPLAINT_INVESTIGATION_REQUIRED", details: { missing: ["corrective", "preventive"] } });
    expect(partial.body.error.message).toContain("纠正措施、预防措施");
    expect((await resolve(s, w.agent.auth, c.id, { investigation })).status).toBe(400); // no reply
    const view = await staffView(s, w.agent.auth, c.id);
    expect(view.status).toBe("assigned");
    expect(view.reports.investigation).toBeUndefined();
  });

  it("resolves within the agent's limit and issues the coupon in the same transaction; the member hears at once and the owner gets the return visit", async () => {
    const c = await assignedComplaint(s, w);
    const template = await staffTemplate(s, w.manager, 3000);
    const res = await resolve(s, w.agent.auth, c.id, resolveBody({ type: "coupon", templateId: template }));
    expect(res.status).toBe(200);
    expect(res.body.outcome).toBe("resolved");
    const view = res.body.complaint;
    expect(view).toMatchObject({ status: "resolved", compensation: { type: "coupon", templateId: template, valueFen: 3000 }, returnVisit: { status: "pending" }, approval: { status: "none" } });
    expect(view.reports.investigation).toMatchObject({ ...investigation, by: { id: w.agent.id } });
    expect(view.messages.at(-1)).toMatchObject({ internal: false, body: resolveBody().reply, author: { id: w.agent.id } });
    expect(view.events.at(-1)).toMatchObject({ type: "resolved", fromStatus: "assigned", toStatus: "resolved" });
    const coupons = await s.t.dataSource.query("SELECT id, memberId, issuedVia, issueKey FROM coupon WHERE templateId = ?", [template]);
    expect(coupons).toHaveLength(1);
    expect(coupons[0]).toMatchObject({ memberId: c.member.id, issuedVia: "staff", issueKey: `complaint:${c.id}` });
    expect(view.compensation.couponId).toBe(Number(coupons[0].id));
    const resolved = (await outboxOf(s, "complaint_resolved")).filter((o) => o.memberId === c.member.id);
    expect(resolved).toHaveLength(1);
    expect(JSON.parse(resolved[0].payload).compensationLine).toContain("补偿券3000");
    expect((await outboxOf(s, "complaint_return_visit")).filter((o) => o.staffId === w.agent.id && JSON.parse(o.payload).complaintId === c.id)).toHaveLength(1);
    const mine = (await s.http.get(`/api/v1/complaints/${c.id}`).set("Authorization", c.memberAuth).expect(200)).body;
    expect(mine).toMatchObject({ status: "resolved", resolution: { reply: resolveBody().reply, compensation: { type: "coupon" } }, survey: { open: true, answered: false } });
    expect((await resolve(s, w.agent.auth, c.id)).body.error.code).toBe("COMPLAINT_STATUS_CONFLICT");
  });

  it("offers the store's staff-channel coupons with their value and says which the resolver may grant alone", async () => {
    const c = await assignedComplaint(s, w);
    const small = await staffTemplate(s, w.manager, 3000);
    const big = await staffTemplate(s, w.manager, 20000);
    const res = await s.http.get(`/api/v1/staff/complaints/${c.id}/compensation-options`).set("Authorization", w.agent.auth).expect(200);
    expect(res.body).toMatchObject({ memberCanReceive: true, limitFen: 5000, fenPerPoint: 1 });
    const offered = new Map(res.body.templates.map((t: { id: number; valueFen: number; withinLimit: boolean }) => [t.id, [t.valueFen, t.withinLimit]]));
    expect(offered.get(small)).toEqual([3000, true]);
    expect(offered.get(big)).toEqual([20000, false]);
    expect((await s.http.get(`/api/v1/staff/complaints/${c.id}/compensation-options`).set("Authorization", w.accused.auth)).status).toBe(404);
  });

  it("credits points once, keyed by the complaint, valued at fen per point", async () => {
    const c = await assignedComplaint(s, w);
    const res = await resolve(s, w.agent.auth, c.id, resolveBody({ type: "points", points: 500 }));
    expect(res.body.complaint.compensation).toMatchObject({ type: "points", points: 500, valueFen: 500 });
    const ledger = await s.t.dataSource.query("SELECT memberId, delta, refType, refId FROM points_ledger WHERE idempotencyKey = ?", [`complaint:${c.id}:compensation`]);
    expect(ledger).toEqual([expect.objectContaining({ memberId: c.member.id, delta: 500, refType: "complaint", refId: String(c.id) })]);
    expect(await count(s, "SELECT pointsBalance AS n FROM member WHERE id = ?", [c.member.id])).toBe(500);
  });

  it("refuses unusable compensation with a 4xx and leaves the complaint open: out of stock, a claim template, a non-member caller", async () => {
    const c = await assignedComplaint(s, w);
    const soldOut = await staffTemplate(s, w.manager, 1000, 1);
    const first = await assignedComplaint(s, w);
    expect((await resolve(s, w.agent.auth, first.id, resolveBody({ type: "coupon", templateId: soldOut }))).status).toBe(200);
    const out = await resolve(s, w.agent.auth, c.id, resolveBody({ type: "coupon", templateId: soldOut }));
    expect(out.status).toBe(409);
    expect(out.body.error.code).toBe("COUPON_OUT_OF_STOCK");
    const claim = await staffTemplate(s, w.manager, 1000, 10, { channel: "claim" });
    expect((await resolve(s, w.agent.auth, c.id, resolveBody({ type: "coupon", templateId: claim }))).body.error.code).toBe("COMPENSATION_INVALID");
    expect((await resolve(s, w.agent.auth, c.id, resolveBody({ type: "coupon", templateId: 999999 }))).status).toBe(400);
    const caller = await s.http.post("/api/v1/staff/complaints").set("Authorization", w.agent.auth)
      .send({ channel: "phone", category: "price", content: "收费不透明", demand: "compensation", callerName: "钱女士", callerPhone: "13512340000" }).expect(201);
    expect((await resolve(s, w.agent.auth, caller.body.id, resolveBody({ type: "points", points: 10 }))).body.error.code).toBe("COMPENSATION_INVALID");
    const view = await staffView(s, w.agent.auth, c.id);
    expect(view).toMatchObject({ status: "assigned", compensation: null });
    expect(view.reports.investigation).toBeUndefined();
    expect((await outboxOf(s, "complaint_resolved")).filter((o) => o.memberId === c.member.id)).toHaveLength(0);
  });

  it("values a percent coupon at its cap and a service voucher at its face value, refusing either without one", async () => {
    const c = await assignedComplaint(s, w);
    const uncapped = await staffTemplate(s, w.manager, 0, 10, { kind: "percent", valueFen: undefined, percentOff: 20 });
    expect((await resolve(s, w.agent.auth, c.id, resolveBody({ type: "coupon", templateId: uncapped }))).body.error.code).toBe("COMPENSATION_INVALID");
    const wash = await staffTemplate(s, w.manager, 0, 10, { kind: "service", valueFen: undefined, serviceName: "免费洗车一次" });
    expect((await resolve(s, w.agent.auth, c.id, resolveBody({ type: "coupon", templateId: wash }))).body.error.message).toContain("没有设置面值");
    const capped = await staffTemplate(s, w.manager, 0, 10, { kind: "percent", valueFen: undefined, percentOff: 20, maxDiscountFen: 4000 });
    const res = await resolve(s, w.agent.auth, c.id, resolveBody({ type: "coupon", templateId: capped }));
    expect(res.body).toMatchObject({ outcome: "resolved", complaint: { compensation: { valueFen: 4000 } } });
  });

  it("takes back the issued coupon or points when a later step of the resolution fails", async () => {
    const trigger = kind === "sqlite"
      ? "CREATE TRIGGER fail_message BEFORE INSERT ON complaint_message BEGIN SELECT RAISE(ABORT, 'injected failure'); END"
      : "CREATE TRIGGER fail_message BEFORE INSERT ON complaint_message FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'injected failure'";
    const c = await assignedComplaint(s, w);
    const template = await staffTemplate(s, w.manager, 2000);
    await s.t.dataSource.query(trigger);
    try {
      expect((await resolve(s, w.agent.auth, c.id, resolveBody({ type: "coupon", templateId: template }))).status).toBe(500);
      expect((await resolve(s, w.agent.auth, c.id, resolveBody({ type: "points", points: 300 }))).status).toBe(500);
    } finally {
      await s.t.dataSource.query("DROP TRIGGER fail_message");
    }
    expect(await count(s, "SELECT COUNT(*) AS n FROM coupon WHERE templateId = ?", [template])).toBe(0);
    expect(await count(s, "SELECT issuedCount AS n FROM coupon_template WHERE id = ?", [template])).toBe(0);
    expect(await count(s, "SELECT COUNT(*) AS n FROM points_ledger WHERE memberId = ?", [c.member.id])).toBe(0);
    expect(await count(s, "SELECT pointsBalance AS n FROM member WHERE id = ?", [c.member.id])).toBe(0);
    const view = await staffView(s, w.agent.auth, c.id);
    expect(view).toMatchObject({ status: "assigned", resolution: null, compensation: null });
    expect((await resolve(s, w.agent.auth, c.id, resolveBody({ type: "coupon", templateId: template }))).status).toBe(200);
  });

  it("keeps compensation above the agent's limit pending, issuing nothing, until a manager approves", async () => {
    const c = await assignedComplaint(s, w);
    const template = await staffTemplate(s, w.manager, 20_000);
    const res = await resolve(s, w.agent.auth, c.id, resolveBody({ type: "coupon", templateId: template }));
    expect(res.body).toMatchObject({ outcome: "pending_approval", complaint: { status: "assigned", approval: { status: "pending", requestedBy: { id: w.agent.id } } } });
    expect(await count(s, "SELECT COUNT(*) AS n FROM coupon WHERE templateId = ?", [template])).toBe(0);
    const asked = (await outboxOf(s, "complaint_approval")).filter((o) => JSON.parse(o.payload).complaintId === c.id);
    expect(asked.map((o) => o.staffId)).toEqual([w.manager.id]); // never the accused manager, nor the admin
    expect(JSON.parse(asked[0].payload).value).toBe("¥200.00");
    const pending = (await s.http.get(`/api/v1/staff/complaints/${c.id}/approval`).set("Authorization", w.manager.auth).expect(200)).body;
    expect(pending).toMatchObject({ valueFen: 20_000, reply: resolveBody().reply, investigation, mayApprove: true, approverRole: "manager" });
    expect((await resolve(s, w.agent.auth, c.id)).body.error.code).toBe("COMPLAINT_STATUS_CONFLICT");
    expect((await approve(w.agent.auth, c.id)).status).toBe(403);
    const approved = await approve(w.manager.auth, c.id);
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "resolved", approval: { status: "approved", decidedBy: { id: w.manager.id } }, compensation: { valueFen: 20_000 } });
    expect(approved.body.messages.at(-1).author.id).toBe(w.agent.id);
    expect(await count(s, "SELECT COUNT(*) AS n FROM coupon WHERE templateId = ?", [template])).toBe(1);
    expect((await outboxOf(s, "complaint_resolved")).filter((o) => o.memberId === c.member.id)).toHaveLength(1);
    expect((await approve(w.manager.auth, c.id)).body.error.code).toBe("APPROVAL_NOT_PENDING");
  });

  it("sends compensation above the manager's limit to an admin: the manager gets APPROVAL_OVER_LIMIT, the admin approves", async () => {
    const c = await assignedComplaint(s, w);
    const res = await resolve(s, w.agent.auth, c.id, resolveBody({ type: "points", points: 80_000 }));
    expect(res.body.outcome).toBe("pending_approval");
    const asked = (await outboxOf(s, "complaint_approval")).filter((o) => JSON.parse(o.payload).complaintId === c.id).map((o) => o.staffId);
    expect(asked).toContain(w.admin.id); // every admin (the seeded one too), no manager
    expect(asked).not.toContain(w.manager.id);
    const over = await approve(w.manager.auth, c.id);
    expect(over.status).toBe(403);
    expect(over.body.error.code).toBe("APPROVAL_OVER_LIMIT");
    expect(await count(s, "SELECT COUNT(*) AS n FROM points_ledger WHERE memberId = ?", [c.member.id])).toBe(0);
    expect((await approve(w.admin.auth, c.id)).body).toMatchObject({ status: "resolved", approval: { status: "approved", decidedBy: { id: w.admin.id } } });
    expect(await count(s, "SELECT pointsBalance AS n FROM member WHERE id = ?", [c.member.id])).toBe(80_000);
    const beyond = await assignedComplaint(s, w);
    const huge = await staffTemplate(s, w.manager, 10_000_001);
    expect((await resolve(s, w.agent.auth, beyond.id, resolveBody({ type: "coupon", templateId: huge }))).body.error.code).toBe("COMPENSATION_INVALID");
  });

  it("returns a rejected resolution to its owner with the note; the owner may resolve again", async () => {
    const c = await assignedComplaint(s, w);
    await resolve(s, w.agent.auth, c.id, resolveBody({ type: "points", points: 10_000 })).expect(200);
    const rejected = await approve(w.manager.auth, c.id, { approve: false, note: "金额过高，建议改为 50 元" });
    expect(rejected.body).toMatchObject({ status: "assigned", approval: { status: "rejected" }, compensation: null });
    const told = (await outboxOf(s, "staff_alert")).filter((o) => o.staffId === w.agent.id && JSON.parse(o.payload).text.includes("金额过高"));
    expect(told).toHaveLength(1);
    expect(await count(s, "SELECT COUNT(*) AS n FROM points_ledger WHERE memberId = ?", [c.member.id])).toBe(0);
    expect((await resolve(s, w.agent.auth, c.id, resolveBody({ type: "points", points: 5000 }))).body.outcome).toBe("resolved");
  });

  it("answers the accused 404 on resolve and approval, and a manager of another store too", async () => {
    const c = await assignedComplaint(s, w);
    await resolve(s, w.agent.auth, c.id, resolveBody({ type: "points", points: 10_000 })).expect(200);
    const other = await s.loginStaff("manager", 2);
    for (const auth of [w.accused.auth, other.auth]) {
      expect((await resolve(s, auth, c.id)).status).toBe(404);
      expect((await s.http.get(`/api/v1/staff/complaints/${c.id}/approval`).set("Authorization", auth)).status).toBe(404);
      expect((await approve(auth, c.id)).body.error.code).toBe("COMPLAINT_NOT_FOUND");
    }
    expect((await staffView(s, w.agent.auth, c.id)).approval.status).toBe("pending");
  });
});
