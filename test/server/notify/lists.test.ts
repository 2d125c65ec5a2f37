import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Member } from "../../../server/members/members.entity.js";
import { CallTask, OutboxMessage } from "../../../server/notify/notify.entity.js";
import { shanghaiInstant } from "../../../server/stores/calendar.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";
import { createMembers } from "../../helpers/instances.js";

describe.each(DATABASE_KINDS)("the staff inbox and the call list, paged and filtered on the server, on %s", (kind) => {
  let s: TestApp;
  let manager: { id: number; auth: string };
  let members: { id: number }[];
  beforeAll(async () => {
    s = await startTestApp(kind);
    manager = await s.loginStaff("manager", 1);
    members = await createMembers(s, 3, `ls${kind}`);
    await s.t.db.tx((m) => m.update(Member, { id: members[0].id }, { phone: "13912345678", nickname: "王先生" }));
    // 25 open tasks of store 1, one a day from Nov 1 (every fifth a win-back), 3 done, and one of store 2
    const task = (i: number, over: Partial<CallTask> = {}) => ({
      memberId: members[i % 3].id, storeId: 1, messageId: null, reason: i % 5 === 0 ? "win_back" : "booking_reminder", summary: `任务${i}`, dedupeKey: `ls:${kind}:${i}`, status: "open" as const,
      outcome: null, note: null, doneByStaffId: null, doneAt: null, createdAt: shanghaiInstant(`2026-11-${String(i + 1).padStart(2, "0")}`, "10:00"), ...over,
    });
    await s.t.db.tx(async (m) => {
      for (let i = 0; i < 25; i++) await m.insert(CallTask, task(i));
      for (let i = 25; i < 28; i++) await m.insert(CallTask, task(i, { status: "done", outcome: "reached", doneAt: new Date(Date.UTC(2026, 10, 28, i - 25)) }));
      await m.insert(CallTask, task(28, { storeId: 2 }));
    });
  });
  afterAll(() => s.close());

  const tasks = (query: Record<string, string | number>, auth = manager.auth) => s.http.get("/api/v1/staff/call-tasks").set("Authorization", auth).query(query);

  it("pages the open calls oldest first, with the total, and the done ones most recently done first", async () => {
    const first = (await tasks({ pageSize: 10 }).expect(200)).body;
    expect(first).toMatchObject({ total: 25, page: 1, pageSize: 10 });
    expect(first.items.map((t: { summary: string }) => t.summary)).toEqual(Array.from({ length: 10 }, (_, i) => `任务${i}`));
    const last = (await tasks({ pageSize: 10, page: 3 }).expect(200)).body;
    expect(last.items.map((t: { summary: string }) => t.summary)).toEqual(["任务20", "任务21", "任务22", "任务23", "任务24"]);
    expect((await tasks({ pageSize: 10, page: 4 }).expect(200)).body).toMatchObject({ total: 25, items: [] });
    const done = (await tasks({ status: "done" }).expect(200)).body;
    expect(done.items.map((t: { summary: string }) => t.summary)).toEqual(["任务27", "任务26", "任务25"]);
    expect(first.items[0]).toMatchObject({ reason: "win_back", reasonName: "流失客户挽回", memberCode: expect.any(String), storeId: 1 });
  });

  it("filters by reason, by the days the task was raised (Shanghai, inclusive) and by the member's phone, code or nickname", async () => {
    const winBack = (await tasks({ reason: "win_back" }).expect(200)).body;
    expect(winBack.total).toBe(5);
    expect(winBack.items.every((t: { reason: string }) => t.reason === "win_back")).toBe(true);
    expect((await tasks({ from: "2026-11-03", to: "2026-11-05" }).expect(200)).body.items.map((t: { summary: string }) => t.summary)).toEqual(["任务2", "任务3", "任务4"]);
    const byPhone = (await tasks({ q: "1234567" }).expect(200)).body;
    expect(byPhone.total).toBe(9); // tasks 0, 3, …, 24 belong to the first member
    expect(byPhone.items.every((t: { memberId: number }) => t.memberId === members[0].id)).toBe(true);
    expect((await tasks({ q: "王先" }).expect(200)).body.total).toBe(9);
    expect((await tasks({ q: "100%" }).expect(200)).body.total).toBe(0);
    // another store's manager sees only their store
    const other = await s.loginStaff("manager", 2);
    expect((await tasks({}, other.auth).expect(200)).body.items.map((t: { summary: string }) => t.summary)).toEqual(["任务28"]);
  });

  it("refuses bad paging and filters with a 4xx and a code", async () => {
    for (const query of [{ page: 0 }, { pageSize: 101 }, { reason: "nonsense" }, { from: "2026-13-01" }, { status: "all" }, { extra: 1 }] as Record<string, string | number>[]) {
      const res = await tasks(query);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("VALIDATION_FAILED");
    }
    const backwards = await tasks({ from: "2026-11-05", to: "2026-11-01" });
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.message).toBe("开始日期不能晚于结束日期");
    const advisor = await s.loginStaff("advisor", 1);
    expect((await tasks({ storeId: 2 }, advisor.auth)).status).toBe(403);
  });

  it("pages the inbox newest first, and every page carries the unread count of the whole inbox", async () => {
    const agent = await s.loginStaff("agent", 1);
    await s.t.db.tx(async (m) => {
      for (let i = 0; i < 23; i++) {
        await m.insert(OutboxMessage, {
          kind: "staff_alert", messageClass: "service", memberId: null, staffId: agent.id, storeId: 1, payload: JSON.stringify({ text: `提醒${i}` }), dedupeKey: `inbox:${kind}:${i}`,
          channel: "inbox", status: "sent", attempts: 1, nextAttemptAt: new Date(), refusedChannels: "", sentAt: new Date(), readAt: i < 3 ? new Date() : null, createdAt: new Date(),
        });
      }
    });
    const inbox = (query: Record<string, string | number>) => s.http.get("/api/v1/staff/inbox").set("Authorization", agent.auth).query(query);
    const first = (await inbox({ pageSize: 10 }).expect(200)).body;
    expect(first).toMatchObject({ total: 23, page: 1, pageSize: 10, unread: 20 });
    expect(first.items[0].text).toBe("提醒22");
    expect((await inbox({ pageSize: 10, page: 3 }).expect(200)).body.items.map((m: { text: string }) => m.text)).toEqual(["提醒2", "提醒1", "提醒0"]);
    const unread = (await inbox({ unread: "true", pageSize: 5, page: 4 }).expect(200)).body;
    expect(unread).toMatchObject({ total: 20, unread: 20 });
    expect(unread.items.map((m: { text: string }) => m.text)).toEqual(["提醒7", "提醒6", "提醒5", "提醒4", "提醒3"]);
    expect((await inbox({ pageSize: 0 })).status).toBe(400);
    expect((await inbox({ unread: "yes" })).status).toBe(400);
  });
});
