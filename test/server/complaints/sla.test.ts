import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Like } from "typeorm";
import { Complaint } from "../../../server/complaints/complaints.entity.js";
import { checkComplaintSla } from "../../../server/complaints/sla.jobs.js";
import { JOBS } from "../../../server/jobs/jobs.js";
import { runFiring } from "../../../server/jobs/scheduler.js";
import { OutboxMessage } from "../../../server/notify/notify.entity.js";
import { shanghaiInstant } from "../../../server/stores/calendar.js";
import { StoreClosure } from "../../../server/stores/stores.entity.js";
import { startTestApp, TestClock } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

const HOUR = 3_600_000;
const MINUTE = 60_000;
const slaJob = JOBS.find((j) => j.name === "complaints.sla")!;

/** One app, its on-duty service agent and the store's manager, and the steps the tests take through the API. */
async function setUp(kind: (typeof DATABASE_KINDS)[number], env: Record<string, string>, start: Date) {
  const s = await startTestApp(kind, env, new TestClock(start));
  const manager = await s.loginStaff("manager", 1);
  const agent = await s.loginStaff("agent", 1);
  await s.http.put("/api/v1/staff/complaint-duty").set("Authorization", agent.auth).send({ onDuty: true, team: "service" }).expect(200);
  let members = 0;
  const memberAuth = new Map<number, string>();
  return {
    s, manager, agent,
    /** a fresh member files one (a second one by the same member would be major as a repeat) */
    async file(at: Date, content = "前台接待态度很差，等了很久没人理", category = "service_attitude"): Promise<number> {
      s.clock.set(at);
      const login = await s.loginMember(`sla-${kind}-${env.COMPLAINT_SLA_CLOCK ?? "calendar"}-${++members}`, 1);
      const res = await s.http.post("/api/v1/complaints").set("Authorization", login.auth).send({ category, content, demand: "apology" }).expect(201);
      memberAuth.set(res.body.id, login.auth);
      return res.body.id as number;
    },
    /** the complainant's bearer header */
    memberAuth: (id: number) => memberAuth.get(id)!,
    /** the job's firing at `at` through the scheduler, with the clock there */
    async fire(at: Date) {
      s.clock.set(at);
      const firing = await runFiring(s.deps, slaJob, at);
      expect(firing?.error).toBeNull();
      return JSON.parse(firing!.counts!) as { warned: number; breached: number };
    },
    alerts: (id: number) => s.t.db.read((m) => m.find(OutboxMessage, { where: { dedupeKey: Like(`cmp:${id}:sla:%`) }, order: { id: "ASC" } })),
    flags: async (id: number) => (await s.t.db.read((m) => m.findOneByOrFail(Complaint, { id }))).slaFlags,
    detail: async (id: number) => (await s.http.get(`/api/v1/staff/complaints/${id}`).set("Authorization", manager.auth).expect(200)).body,
  };
}

const brief = (rows: OutboxMessage[]) => rows.map((r) => ({ kind: r.kind, staffId: r.staffId, key: r.dedupeKey, vars: JSON.parse(r.payload) as Record<string, unknown> }));

describe.each(DATABASE_KINDS)("complaint SLA job (calendar hours) on %s", (kind) => {
  let t: Awaited<ReturnType<typeof setUp>>;
  const day = (n: number, time = "10:00") => shanghaiInstant(`2026-12-${String(n).padStart(2, "0")}`, time);
  beforeAll(async () => {
    t = await setUp(kind, { COMPLAINT_SLA_PRICE: "24/72" }, day(3));
  });
  afterAll(() => t.s.close());

  it("warns the owner once at 80 % of the first response and alerts the manager on its breach, signed with the owner", async () => {
    const filed = day(3);
    const id = await t.file(filed);
    expect((await t.detail(id)).owner.id).toBe(t.agent.id);
    expect(await t.fire(new Date(filed.getTime() + 19 * HOUR))).toMatchObject({ warned: 0 });
    expect(await t.alerts(id)).toEqual([]);
    const warnAt = new Date(filed.getTime() + 0.8 * 24 * HOUR);
    expect((await t.fire(warnAt)).warned).toBeGreaterThanOrEqual(1);
    expect(brief(await t.alerts(id))).toEqual([
      { kind: "complaint_sla_warning", staffId: t.agent.id, key: `cmp:${id}:sla:first_warn:${t.agent.id}`, vars: expect.objectContaining({ stage: "首次答复", due: "12-04 10:00" }) },
    ]);
    expect((await t.detail(id)).sla).toMatchObject({ state: "warning", firstResponse: { state: "warning", dueAt: new Date(filed.getTime() + 24 * HOUR).toISOString() } });
    // the same instant again (a second runner, a rerun) and the next firing add nothing
    expect(await checkComplaintSla(t.s.deps.db, warnAt)).toEqual({ warned: 0, breached: 0 });
    await t.fire(new Date(warnAt.getTime() + 5 * MINUTE));
    expect(await t.alerts(id)).toHaveLength(1);
    // past 24 h without a reply: the store's manager hears it
    const late = new Date(filed.getTime() + 24 * HOUR + 5 * MINUTE);
    expect((await t.fire(late)).breached).toBeGreaterThanOrEqual(1);
    const breach = brief(await t.alerts(id)).slice(1);
    expect(breach).toEqual([
      { kind: "complaint_sla_breach", staffId: t.manager.id, key: `cmp:${id}:sla:first_breach:${t.manager.id}`, vars: expect.objectContaining({ stage: "首次答复", owner: `客服 ${String(t.agent.id).padStart(4, "0")}` }) },
    ]);
    expect(await t.flags(id)).toBe("first_warn,first_breach");
    expect(await checkComplaintSla(t.s.deps.db, late)).toEqual({ warned: 0, breached: 0 });
    expect((await t.detail(id)).sla.state).toBe("breached");
  });

  it("in the queue (nobody owns it) the warning goes to the managers and the breach says 无人认领", async () => {
    const filed = day(6);
    const id = await t.file(filed, "发动机异响修了两次还是没好", "repair_quality"); // the technical team has nobody on duty
    expect((await t.detail(id)).owner).toBeNull();
    await t.fire(new Date(filed.getTime() + 20 * HOUR));
    await t.fire(new Date(filed.getTime() + 25 * HOUR));
    expect(brief(await t.alerts(id))).toEqual([
      { kind: "complaint_sla_warning", staffId: t.manager.id, key: `cmp:${id}:sla:first_warn:${t.manager.id}`, vars: expect.objectContaining({ stage: "首次答复" }) },
      { kind: "complaint_sla_breach", staffId: t.manager.id, key: `cmp:${id}:sla:first_breach:${t.manager.id}`, vars: expect.objectContaining({ owner: "无人认领" }) },
    ]);
  });

  it("a staff reply before the due means no first-response breach", async () => {
    const filed = day(8);
    const id = await t.file(filed);
    await t.fire(new Date(filed.getTime() + 20 * HOUR));
    t.s.clock.set(new Date(filed.getTime() + 21 * HOUR));
    await t.s.http.post(`/api/v1/staff/complaints/${id}/replies`).set("Authorization", t.agent.auth).send({ body: "您好，已联系前台主管核实，稍后给您回电。" }).expect(201);
    await t.fire(new Date(filed.getTime() + 25 * HOUR));
    expect((await t.alerts(id)).map((r) => r.dedupeKey)).toEqual([`cmp:${id}:sla:first_warn:${t.agent.id}`]);
    expect((await t.detail(id)).sla.firstResponse.state).toBe("met");
  });

  it("waiting for the customer pauses the clock: nothing is raised, and the member's reply moves the resolution due by the paused time", async () => {
    const filed = day(10);
    const id = await t.file(filed, "保养收费比报价高了三百元", "price"); // price: 24 h / 72 h here
    const pausedAt = new Date(filed.getTime() + HOUR);
    t.s.clock.set(pausedAt);
    await t.s.http.post(`/api/v1/staff/complaints/${id}/replies`).set("Authorization", t.agent.auth).send({ body: "请提供一下结算单照片，我们核对收费明细。", waitForCustomer: true }).expect(201);
    const dueBefore = (await t.detail(id)).sla.resolution.dueAt;
    expect(dueBefore).toBe(new Date(filed.getTime() + 72 * HOUR).toISOString());
    // three days later: past the resolution's warning and due instants, but the clock stood still
    const back = new Date(pausedAt.getTime() + 72 * HOUR);
    await t.fire(new Date(filed.getTime() + 60 * HOUR));
    await t.fire(back);
    expect(await t.alerts(id)).toEqual([]);
    expect(await t.flags(id)).toBe("");
    expect((await t.detail(id)).sla).toMatchObject({ state: "paused", pausedSince: pausedAt.toISOString() });
    await t.s.http.post(`/api/v1/complaints/${id}/replies`).set("Authorization", t.memberAuth(id)).send({ body: "结算单照片已经上传了，请查收。" }).expect(201);
    const sla = (await t.detail(id)).sla;
    expect(sla.resolution.dueAt).toBe(new Date(Date.parse(dueBefore) + 72 * HOUR).toISOString());
    expect(sla).toMatchObject({ state: "on_track", pausedSince: null, resolution: { state: "on_track" } });
    // the clock runs again: the moved 80 % instant (56.6 h of the 71 h left after the pause) warns the owner
    await t.fire(new Date(back.getTime() + 5 * MINUTE));
    expect(await t.alerts(id)).toEqual([]);
    await t.fire(new Date(back.getTime() + 57 * HOUR));
    expect((await t.alerts(id)).map((r) => r.dedupeKey)).toEqual([`cmp:${id}:sla:resolution_warn:${t.agent.id}`]);
  });

  it("a major complaint (曝光) whose escalation report is not filed within 24 h breaches; one filed in time does not", async () => {
    const filed = day(14);
    const late = await t.file(filed, "再不处理我就找媒体曝光你们");
    const onTime = await t.file(filed, "不给说法就曝光到网上");
    expect((await t.detail(late)).severity).toBe("major");
    t.s.clock.set(new Date(filed.getTime() + 20 * HOUR));
    await t.s.http.post(`/api/v1/staff/complaints/${onTime}/escalation`).set("Authorization", t.manager.auth).send({ summary: "客户要求赔礼道歉", risk: "可能发到网上", plan: "店长当天致电" }).expect(204);
    await t.fire(new Date(filed.getTime() + 23 * HOUR));
    const escalation = (id: number) => t.alerts(id).then((rows) => brief(rows).filter((r) => r.key.includes("escalation_breach")));
    expect(await escalation(late)).toEqual([]);
    await t.fire(new Date(filed.getTime() + 24 * HOUR + 5 * MINUTE));
    expect(await escalation(late)).toEqual([
      { kind: "complaint_sla_breach", staffId: t.manager.id, key: `cmp:${late}:sla:escalation_breach:${t.manager.id}`, vars: expect.objectContaining({ stage: "重大投诉预警报备" }) },
    ]);
    expect(await escalation(onTime)).toEqual([]);
    expect((await t.detail(late)).sla.escalation.state).toBe("breached");
    expect((await t.detail(onTime)).sla.escalation.state).toBe("met");
  });

  it("a reopened complaint's fresh resolution warning is queued under a key of its own round", async () => {
    const filed = day(16);
    const id = await t.file(filed);
    const week = 168 * HOUR;
    await t.fire(new Date(filed.getTime() + 0.8 * week));
    const warned = `cmp:${id}:sla:resolution_warn:${t.agent.id}`;
    expect((await t.alerts(id)).map((r) => r.dedupeKey)).toContain(warned);
    // reopened as the satisfaction survey does it: new resolution dues, its resolution flags cleared
    const reopened = new Date(filed.getTime() + week - HOUR);
    await t.s.t.db.tx((m) => m.update(Complaint, { id }, {
      status: "reopened", reopenCount: 1, slaFlags: "first_warn,first_breach",
      resolutionWarnAt: new Date(reopened.getTime() + 0.8 * week), resolutionDueAt: new Date(reopened.getTime() + week),
    }));
    expect((await t.fire(new Date(reopened.getTime() + 0.8 * week))).warned).toBeGreaterThanOrEqual(1);
    expect((await t.alerts(id)).map((r) => r.dedupeKey).filter((k) => k.includes("resolution_warn"))).toEqual([warned, `cmp:${id}:sla:resolution_warn:reopen1:${t.agent.id}`]);
  });

  it("reads its candidates in batches: 450 due complaints of one store are each warned once", async () => {
    const filed = day(24);
    const modelId = await t.file(filed);
    const model = await t.s.t.db.read((m) => m.findOneByOrFail(Complaint, { id: modelId }));
    const { id: _id, ...row } = model;
    await t.s.t.db.tx(async (m) => {
      for (let i = 0; i < 450; i += 50) {
        await m.insert(Complaint, Array.from({ length: 50 }, (_, k) => ({ ...row, storeId: 2, number: `TSBATCH-${kind.slice(0, 3)}-${i + k}` })));
      }
    });
    const store2 = () => t.s.t.db.read((m) => m.find(Complaint, { where: { storeId: 2, number: Like("TSBATCH-%") }, select: { id: true, slaFlags: true } }));
    const at = new Date(filed.getTime() + 20 * HOUR);
    expect((await t.fire(at)).warned).toBeGreaterThanOrEqual(450);
    const rows = await store2();
    expect(rows).toHaveLength(450);
    expect(rows.every((r) => r.slaFlags === "first_warn")).toBe(true);
    const queued = () => t.s.t.db.read((m) => m.count(OutboxMessage, { where: { storeId: 2, kind: "complaint_sla_warning" } }));
    expect(await queued()).toBe(450);
    expect(await checkComplaintSla(t.s.deps.db, at)).toEqual({ warned: 0, breached: 0 });
    expect(await queued()).toBe(450);
  });

  it("the staff list filters by SLA state: warning, breached, paused", async () => {
    const now = day(20);
    const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
    const breached = await t.file(ago(25));
    const paused = await t.file(ago(25));
    t.s.clock.set(ago(24.5));
    await t.s.http.post(`/api/v1/staff/complaints/${paused}/replies`).set("Authorization", t.agent.auth).send({ body: "请补充一下当时的接待时间。", waitForCustomer: true }).expect(201);
    const warning = await t.file(ago(20));
    const onTrack = await t.file(ago(1));
    t.s.clock.set(now);
    const mine = [breached, paused, warning, onTrack];
    const list = async (slaState: string) => {
      const res = await t.s.http.get("/api/v1/staff/complaints").query({ slaState, from: ago(26).toISOString(), to: now.toISOString(), pageSize: 100 }).set("Authorization", t.manager.auth).expect(200);
      return (res.body.items as { id: number; sla: { state: string } }[]).filter((c) => mine.includes(c.id));
    };
    expect((await list("warning")).map((c) => c.id)).toEqual([warning]);
    expect((await list("breached")).map((c) => c.id)).toEqual([breached]);
    expect((await list("paused")).map((c) => c.id)).toEqual([paused]);
    expect((await list("on_track")).map((c) => c.id)).toEqual([onTrack]);
    for (const state of ["warning", "breached", "paused"]) for (const c of await list(state)) expect(c.sla.state).toBe(state);
  });
});

describe.each(DATABASE_KINDS)("complaint SLA job (the store's opening hours) on %s", (kind) => {
  let t: Awaited<ReturnType<typeof setUp>>;
  beforeAll(async () => {
    t = await setUp(kind, { COMPLAINT_SLA_CLOCK: "business" }, shanghaiInstant("2026-12-04", "09:00"));
  });
  afterAll(() => t.s.close());

  // store 1 opens Monday to Saturday 08:30–18:00 (9.5 h a day) and closes on Sundays
  it("a complaint filed on Friday evening after closing counts its 24 h in opening hours: Saturday, Monday, then Tuesday until 13:30", async () => {
    const id = await t.file(shanghaiInstant("2026-12-04", "19:00"));
    const c = await t.s.t.db.read((m) => m.findOneByOrFail(Complaint, { id }));
    expect(c.firstResponseDueAt.toISOString()).toBe(shanghaiInstant("2026-12-08", "13:30").toISOString());
    expect(c.firstResponseWarnAt.toISOString()).toBe(shanghaiInstant("2026-12-08", "08:42").toISOString()); // 19.2 h: 9.5 + 9.5 + 0.2
    expect((await t.detail(id)).sla.firstResponse.dueAt).toBe(shanghaiInstant("2026-12-08", "13:30").toISOString());
    await t.fire(shanghaiInstant("2026-12-08", "08:40"));
    expect(await t.alerts(id)).toEqual([]);
    await t.fire(shanghaiInstant("2026-12-08", "08:45"));
    expect((await t.alerts(id)).map((r) => r.dedupeKey)).toEqual([`cmp:${id}:sla:first_warn:${t.agent.id}`]);
    await t.fire(shanghaiInstant("2026-12-08", "13:30"));
    expect(await t.alerts(id)).toHaveLength(1);
    await t.fire(shanghaiInstant("2026-12-08", "13:35"));
    expect((await t.alerts(id)).map((r) => r.kind)).toEqual(["complaint_sla_warning", "complaint_sla_breach"]);
  });

  it("a store closure day is skipped", async () => {
    await t.s.t.db.tx((m) => m.insert(StoreClosure, { storeId: 1, date: "2026-12-14", reason: "设备检修" }));
    const id = await t.file(shanghaiInstant("2026-12-11", "19:00"));
    expect((await t.detail(id)).sla.firstResponse.dueAt).toBe(shanghaiInstant("2026-12-16", "13:30").toISOString()); // Sat, (Sun, closed Mon), Tue, Wed
  });
});
