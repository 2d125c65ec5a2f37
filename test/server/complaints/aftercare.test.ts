import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { JOBS } from "../../../server/jobs/jobs.js";
import { runFiring } from "../../../server/jobs/scheduler.js";
import type { TestApp } from "../../helpers/app.js";
import { outboxOf, staffView } from "../../helpers/complaints.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { assignedComplaint, count, resolve, resolveBody, startWorld, type World } from "./resolution.fixtures.js";

const DAY = 86_400_000;

describe.each(DATABASE_KINDS)("after a complaint's resolution on %s", (kind) => {
  let s: TestApp;
  let w: World;
  beforeAll(async () => ({ s, w } = await startWorld(kind)));
  afterAll(() => s.close());

  const resolved = async () => {
    const c = await assignedComplaint(s, w);
    await resolve(s, w.agent.auth, c.id).expect(200);
    return c;
  };
  const survey = (c: { id: number; memberAuth: string }, body: Record<string, unknown>) => s.http.post(`/api/v1/complaints/${c.id}/survey`).set("Authorization", c.memberAuth).send(body);
  const visit = (auth: string, id: number, body: Record<string, unknown>) => s.http.post(`/api/v1/staff/complaints/${id}/return-visit`).set("Authorization", auth).send(body);

  it("records the return visit once, only after resolution, with an outcome that fits the method", async () => {
    const c = await assignedComplaint(s, w);
    expect((await visit(w.agent.auth, c.id, { method: "call", outcome: "reached" })).body.error.code).toBe("RETURN_VISIT_NOT_OPEN");
    await resolve(s, w.agent.auth, c.id).expect(200);
    const mismatch = await visit(w.agent.auth, c.id, { method: "message", outcome: "reached" });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.code).toBe("VALIDATION_FAILED");
    expect((await visit(w.accused.auth, c.id, { method: "call", outcome: "reached" })).status).toBe(404);
    expect((await visit(w.agent.auth, c.id, { method: "call", outcome: "reached", note: "客户表示满意" })).status).toBe(204);
    const again = await visit(w.manager.auth, c.id, { method: "call", outcome: "no_answer" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("RETURN_VISIT_NOT_OPEN");
    const view = await staffView(s, w.agent.auth, c.id);
    expect(view.returnVisit).toMatchObject({ status: "done", method: "call", outcome: "reached", note: "客户表示满意", by: { id: w.agent.id } });
    expect(view.events.at(-1)).toMatchObject({ type: "return_visit", detail: { outcome: "reached" } });
  });

  it("closes on a good survey, once; a second answer is SURVEY_DONE and another member gets 404", async () => {
    const c = await resolved();
    const other = await s.loginMember("aftercare-stranger", 1);
    expect((await s.http.post(`/api/v1/complaints/${c.id}/survey`).set("Authorization", other.auth).send({ rating: 5, solved: true })).status).toBe(404);
    const res = await survey(c, { rating: 4, solved: true, comment: "处理及时" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "closed", survey: { open: false, answered: true, rating: 4, solved: true, comment: "处理及时" } });
    const again = await survey(c, { rating: 1, solved: false });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("SURVEY_DONE");
    const view = await staffView(s, w.manager.auth, c.id);
    expect(view).toMatchObject({ status: "closed", satisfaction: { rating: 4, solved: true } });
    expect(view.events.slice(-2).map((e: { type: string }) => e.type)).toEqual(["surveyed", "closed"]);
  });

  it("reopens with its owner on a rating of 1-2 or 'not solved', with a fresh resolution due; the next resolution opens a new survey", async () => {
    const c = await resolved();
    s.clock.advance(DAY);
    const res = await survey(c, { rating: 2, solved: true, comment: "态度还是不好" });
    expect(res.body).toMatchObject({ status: "reopened", survey: { answered: true, rating: 2 } });
    let view = await staffView(s, w.agent.auth, c.id);
    expect(view).toMatchObject({ status: "reopened", reopenCount: 1, owner: { id: w.agent.id }, resolution: null });
    expect(view.sla.resolution.dueAt).toBe(new Date(s.clock.now().getTime() + 168 * 3_600_000).toISOString());
    const told = (await outboxOf(s, "complaint_reopened")).filter((o) => JSON.parse(o.payload).complaintId === c.id);
    expect(told.map((o) => o.staffId)).toEqual([w.agent.id]);
    await resolve(s, w.agent.auth, c.id, { ...resolveBody(), reply: "再次致歉，已由店长亲自跟进。" }).expect(200);
    view = await staffView(s, w.agent.auth, c.id);
    expect(view).toMatchObject({ status: "resolved", satisfaction: null, returnVisit: { status: "pending" } });
    expect((await outboxOf(s, "complaint_resolved")).filter((o) => o.memberId === c.member.id)).toHaveLength(2);
    expect((await survey(c, { rating: 5, solved: false })).body.status).toBe("reopened");
    expect((await staffView(s, w.agent.auth, c.id)).reopenCount).toBe(2);
  });

  it("refuses the survey before resolution and after the survey window: SURVEY_NOT_OPEN", async () => {
    const open = await assignedComplaint(s, w);
    expect((await survey(open, { rating: 5, solved: true })).body.error.code).toBe("SURVEY_NOT_OPEN");
    const c = await resolved();
    s.clock.advance(7 * DAY + 60_000);
    const late = await survey(c, { rating: 5, solved: true });
    expect(late.status).toBe(409);
    expect(late.body.error).toMatchObject({ code: "SURVEY_NOT_OPEN", message: "评价已截止（处理完成后 7 天内可评价）" });
    expect((await s.http.get(`/api/v1/complaints/${c.id}`).set("Authorization", c.memberAuth).expect(200)).body.survey.open).toBe(false);
    expect((await survey(c, { rating: 6, solved: true })).status).toBe(400);
  });

  it("closes resolved complaints whose survey went unanswered for 7 days, once, through the job", async () => {
    const job = JOBS.find((j) => j.name === "complaints.survey-close")!;
    const stale = await resolved();
    const answered = await resolved();
    await survey(answered, { rating: 1, solved: false }).expect(200);
    s.clock.advance(6 * DAY);
    const fresh = await resolved();
    s.clock.advance(DAY + 10 * 60_000);
    const at = new Date(Math.floor(s.clock.now().getTime() / 60_000) * 60_000);
    const firing = await runFiring(s.deps, job, at);
    expect(firing?.error).toBeNull();
    expect(JSON.parse(firing!.counts!).closed).toBeGreaterThanOrEqual(1);
    const closed = await staffView(s, w.agent.auth, stale.id);
    expect(closed).toMatchObject({ status: "closed", satisfaction: null });
    expect(closed.events.at(-1)).toMatchObject({ type: "closed", actorType: "system", detail: { reason: "survey_unanswered" } });
    expect((await staffView(s, w.agent.auth, answered.id)).status).toBe("reopened");
    expect((await staffView(s, w.agent.auth, fresh.id)).status).toBe("resolved");
    expect(await job.run(s.deps, at)).toEqual({ closed: 0 });
    expect(await count(s, "SELECT COUNT(*) AS n FROM complaint_event WHERE complaintId = ? AND type = 'closed'", [stale.id])).toBe(1);
  });

  it("adds an anonymised copy of a resolved complaint to the case library, once, by a manager; staff find it by category and words", async () => {
    const intake = await s.http.post("/api/v1/staff/complaints").set("Authorization", w.agent.auth).send({
      channel: "phone", category: "waiting_time", demand: "apology", staffId: w.accused.id, callerName: "李建国", callerPhone: "13912345678", plate: "沪C54321",
      content: "李先生（电话 139-1234-5678，车牌沪C54321）保养等待三小时，另留电话021-62345678",
    }).expect(201);
    const id = intake.body.id as number;
    expect((await s.http.post(`/api/v1/staff/complaints/${id}/case`).set("Authorization", w.manager.auth).send({ title: "保养等待过长" })).body.error.code).toBe("COMPLAINT_STATUS_CONFLICT");
    await resolve(s, w.agent.auth, id, {
      investigation: { cause: "工位排满", course: "李建国的车沪C54321排在第五位", responsible: "车间调度", conclusion: "属实", corrective: "致电13912345678致歉", preventive: "预约时告知等待时长" },
      reply: "李先生您好，已为您安排优先工位。",
    }).expect(200);
    expect((await s.http.post(`/api/v1/staff/complaints/${id}/case`).set("Authorization", w.agent.auth).send({ title: "x" })).status).toBe(403);
    expect((await s.http.post(`/api/v1/staff/complaints/${id}/case`).set("Authorization", w.accused.auth).send({ title: "x" })).status).toBe(404);
    const added = await s.http.post(`/api/v1/staff/complaints/${id}/case`).set("Authorization", w.manager.auth).send({ title: "保养等待过长（沪C54321）" });
    expect(added.status).toBe(201);
    const text = JSON.stringify(added.body);
    for (const secret of ["李建国", "李先生", "13912345678", "139-1234-5678", "62345678", "沪C54321", "C54321"]) expect(text).not.toContain(secret);
    expect(added.body).toMatchObject({ category: "waiting_time", categoryName: "等待时间", title: "保养等待过长（[车牌]）", resolution: "客户您好，已为您安排优先工位。" });
    expect(added.body.summary).toBe("客户（电话 [电话]，车牌[车牌]）保养等待三小时，另留电话[电话]");
    expect(added.body.investigation).toMatchObject({ course: "客户的车[车牌]排在第五位", corrective: "致电[电话]致歉" });
    expect((await s.http.post(`/api/v1/staff/complaints/${id}/case`).set("Authorization", w.admin.auth).send({ title: "again" })).body.error.code).toBe("CASE_EXISTS");
    const advisor = await s.loginStaff("advisor", 2);
    const found = await s.http.get("/api/v1/staff/complaint-cases").query({ category: "waiting_time", q: "等待 三小时" }).set("Authorization", advisor.auth).expect(200);
    expect(found.body).toMatchObject({ total: 1, items: [{ id: added.body.id, title: "保养等待过长（[车牌]）" }] });
    expect((await s.http.get("/api/v1/staff/complaint-cases").query({ q: "等待" }).set("Authorization", advisor.auth)).body.total).toBe(1);
    expect((await s.http.get("/api/v1/staff/complaint-cases").query({ q: "等待", category: "price" }).set("Authorization", advisor.auth)).body.total).toBe(0);
    expect((await s.http.get("/api/v1/staff/complaint-cases").query({ q: "100%" }).set("Authorization", advisor.auth)).body.total).toBe(0);
  });

  it("leaves a case about the accused out of their library search", async () => {
    const c = await resolved();
    await s.http.post(`/api/v1/staff/complaints/${c.id}/case`).set("Authorization", w.manager.auth).send({ title: "前台接待冷淡" }).expect(201);
    const byManager = await s.http.get("/api/v1/staff/complaint-cases").query({ q: "接待冷淡" }).set("Authorization", w.manager.auth).expect(200);
    expect(byManager.body.total).toBe(1);
    const byAccused = await s.http.get("/api/v1/staff/complaint-cases").query({ q: "接待冷淡" }).set("Authorization", w.accused.auth).expect(200);
    expect(byAccused.body.total).toBe(0);
    expect((await survey(c, { rating: 5, solved: true })).body.status).toBe("closed");
  });
});
