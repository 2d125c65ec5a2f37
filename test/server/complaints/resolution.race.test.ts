import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RACE_KINDS } from "../../helpers/databases.js";
import { startTwoInstances, type TwoInstances } from "../../helpers/instances.js";
import { assignedComplaint, complaintWorld, count, resolveBody, staffTemplate, type World } from "./resolution.fixtures.js";

describe.each(RACE_KINDS)("complaint resolution under parallel requests over two instances on %s", (kind) => {
  let x: TwoInstances;
  let w: World;
  beforeAll(async () => {
    x = await startTwoInstances(kind);
    w = await complaintWorld(x.s);
  });
  afterAll(() => x.close());

  /** A complaint the second instance (on Galera: the second node) already sees. */
  const complaint = async () => {
    const c = await assignedComplaint(x.s, w);
    for (let i = 0; i < 50 && (await x.call(1, "GET", `/api/v1/staff/complaints/${c.id}`, w.agent.auth)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
    return c;
  };
  const parallel = (n: number, request: (i: number) => Promise<{ status: number; body: any }>) => Promise.all(Array.from({ length: n }, (_, i) => request(i)));
  const expectRefused = (results: { status: number; body: any }[], ok: number, codes: string[]) => {
    const refused = results.filter((r) => r.status !== ok);
    expect(refused.map((r) => `${r.status} ${r.body?.error?.code}`).filter((r) => !codes.some((code) => r === `409 ${code}`))).toEqual([]);
  };
  const countOf = (sql: string, params: unknown[]) => count(x.s, sql, params);

  it("20 resolves of one complaint with a coupon: exactly one resolution and one coupon", async () => {
    const c = await complaint();
    const template = await staffTemplate(x.s, w.manager, 3000);
    const results = await parallel(20, (i) => x.call(i, "POST", `/api/v1/staff/complaints/${c.id}/resolve`, i % 4 === 3 ? w.manager.auth : w.agent.auth, resolveBody({ type: "coupon", templateId: template })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expectRefused(results, 200, ["COMPLAINT_STATUS_CONFLICT"]);
    expect(await countOf("SELECT COUNT(*) AS n FROM coupon WHERE templateId = ?", [template])).toBe(1);
    expect(await countOf("SELECT issuedCount AS n FROM coupon_template WHERE id = ?", [template])).toBe(1);
    expect(await countOf("SELECT COUNT(*) AS n FROM complaint_event WHERE complaintId = ? AND type = 'resolved'", [c.id])).toBe(1);
    expect(await countOf("SELECT COUNT(*) AS n FROM complaint_report WHERE complaintId = ?", [c.id])).toBe(1);
    expect(await countOf("SELECT COUNT(*) AS n FROM complaint_message WHERE complaintId = ? AND authorType = 'staff'", [c.id])).toBe(1);
    expect(await countOf("SELECT COUNT(*) AS n FROM outbox_message WHERE kind = 'complaint_resolved' AND memberId = ?", [c.member.id])).toBe(1);
  }, 120_000);

  it("20 approvals and rejections of one pending points compensation by two managers: one decision, at most one ledger row", async () => {
    const c = await complaint();
    const second = await x.s.loginStaff("manager", 1);
    expect((await x.call(0, "POST", `/api/v1/staff/complaints/${c.id}/resolve`, w.agent.auth, resolveBody({ type: "points", points: 20_000 }))).body.outcome).toBe("pending_approval");
    const results = await parallel(20, (i) =>
      x.call(i, "POST", `/api/v1/staff/complaints/${c.id}/approval`, i % 3 === 0 ? second.auth : w.manager.auth, i % 5 === 4 ? { approve: false, note: "驳回" } : { approve: true }),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expectRefused(results, 200, ["APPROVAL_NOT_PENDING"]);
    const status = (await x.call(0, "GET", `/api/v1/staff/complaints/${c.id}`, w.agent.auth)).body.approval.status;
    const ledger = await countOf("SELECT COUNT(*) AS n FROM points_ledger WHERE memberId = ?", [c.member.id]);
    expect(ledger).toBe(status === "approved" ? 1 : 0);
    expect(await countOf("SELECT pointsBalance AS n FROM member WHERE id = ?", [c.member.id])).toBe(ledger * 20_000);
    expect(await countOf("SELECT COUNT(*) AS n FROM complaint_event WHERE complaintId = ? AND type IN ('resolved', 'approval_rejected')", [c.id])).toBe(1);
  }, 120_000);

  it("20 approvals of one pending coupon: exactly one coupon", async () => {
    const c = await complaint();
    const template = await staffTemplate(x.s, w.manager, 20_000);
    expect((await x.call(0, "POST", `/api/v1/staff/complaints/${c.id}/resolve`, w.agent.auth, resolveBody({ type: "coupon", templateId: template }))).body.outcome).toBe("pending_approval");
    const results = await parallel(20, (i) => x.call(i, "POST", `/api/v1/staff/complaints/${c.id}/approval`, i % 2 ? w.admin.auth : w.manager.auth, { approve: true }));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expectRefused(results, 200, ["APPROVAL_NOT_PENDING"]);
    expect(await countOf("SELECT COUNT(*) AS n FROM coupon WHERE templateId = ?", [template])).toBe(1);
    expect(await countOf("SELECT COUNT(*) AS n FROM outbox_message WHERE kind = 'complaint_resolved' AND memberId = ?", [c.member.id])).toBe(1);
  }, 120_000);

  it("20 survey answers and 20 return visits of one resolved complaint: each recorded once", async () => {
    const c = await complaint();
    expect((await x.call(0, "POST", `/api/v1/staff/complaints/${c.id}/resolve`, w.agent.auth, resolveBody())).status).toBe(200);
    for (let i = 0; i < 50 && (await x.call(1, "GET", `/api/v1/complaints/${c.id}`, c.memberAuth)).body.status !== "resolved"; i++) await new Promise((r) => setTimeout(r, 100));
    const [surveys, visits] = await Promise.all([
      parallel(20, (i) => x.call(i, "POST", `/api/v1/complaints/${c.id}/survey`, c.memberAuth, { rating: i % 2 ? 1 : 5, solved: i % 2 === 0 })),
      parallel(20, (i) => x.call(i, "POST", `/api/v1/staff/complaints/${c.id}/return-visit`, w.agent.auth, { method: "call", outcome: "reached" })),
    ]);
    expect(surveys.filter((r) => r.status === 200)).toHaveLength(1);
    expectRefused(surveys, 200, ["SURVEY_DONE"]);
    expect(visits.filter((r) => r.status === 204)).toHaveLength(1);
    expectRefused(visits, 204, ["RETURN_VISIT_NOT_OPEN"]);
    expect(await countOf("SELECT COUNT(*) AS n FROM complaint_event WHERE complaintId = ? AND type = 'surveyed'", [c.id])).toBe(1);
    expect(await countOf("SELECT COUNT(*) AS n FROM complaint_event WHERE complaintId = ? AND type IN ('closed', 'reopened')", [c.id])).toBe(1);
  }, 120_000);
});
