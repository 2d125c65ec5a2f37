import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Complaint, ComplaintCounter, ComplaintEvent } from "../../../server/complaints/complaints.entity.js";
import { complaintBody } from "../../helpers/complaints.js";
import { RACE_KINDS } from "../../helpers/databases.js";
import { createMembers, startTwoInstances, type TwoInstances } from "../../helpers/instances.js";

describe.each(RACE_KINDS)("complaints under parallel requests over two instances on %s", (kind) => {
  let x: TwoInstances;
  beforeAll(async () => {
    x = await startTwoInstances(kind);
  });
  afterAll(() => x.close());

  it("200 parallel intakes get 200 different numbers of the day, 0001 to 0200, and nothing else", async () => {
    const members = await createMembers(x.s, 200, "cnum");
    // a client honours 503 BUSY's Retry-After: on a multi-primary cluster every intake writes the day's
    // counter row, and 200 at once through two nodes lose certification to each other now and then
    let busy = 0;
    const file = async (i: number) => {
      for (let attempt = 0; ; attempt++) {
        const res = await x.call(i, "POST", "/api/v1/complaints", members[i].auth, complaintBody({ category: "other" }));
        if (res.status !== 503 || attempt === 3) return res;
        expect(res.body.error.code).toBe("BUSY");
        busy++;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    };
    const results = await Promise.all(members.map((_, i) => file(i)));
    expect(results.filter((r) => r.status !== 201).map((r) => [r.status, r.body])).toEqual([]);
    if (kind !== "galera") expect(busy).toBe(0);
    const numbers = results.map((r) => r.body.number as string);
    const day = numbers[0].slice(0, 10);
    expect(new Set(numbers).size).toBe(200);
    expect(numbers.map((n) => n.slice(0, 10)).every((d) => d === day)).toBe(true);
    expect(numbers.map((n) => Number(n.slice(-4))).sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    const m = x.s.t.dataSource.manager;
    expect(await m.count(Complaint)).toBe(200);
    expect((await m.findOneByOrFail(ComplaintCounter, { day: day.slice(2) })).last).toBe(200);
  }, 120_000);

  it("100 parallel takes by 10 agents assign each of 100 queued complaints exactly once", async () => {
    const m = x.s.t.dataSource.manager;
    const queued = await m.find(Complaint, { where: { status: "received" }, order: { receivedAt: "ASC", id: "ASC" }, take: 100 });
    expect(queued).toHaveLength(100);
    const agents = await Promise.all(Array.from({ length: 10 }, () => x.s.loginStaff("agent", 1)));
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => x.call(i, "POST", "/api/v1/staff/complaint-queue/take", agents[i % 10].auth, {})));
    expect(results.map((r) => r.status).filter((s) => s !== 200)).toEqual([]);
    const taken = results.map((r) => r.body.id as number);
    expect(new Set(taken).size).toBe(100);
    // the takes went to the oldest 100 of the queue
    expect([...taken].sort((a, b) => a - b)).toEqual(queued.map((c) => c.id).sort((a, b) => a - b));
    for (const [i, r] of results.entries()) expect(r.body.owner.id).toBe(agents[i % 10].id);
    const assignedEvents = await m.createQueryBuilder(ComplaintEvent, "e").select("e.complaintId", "id").addSelect("COUNT(*)", "n").where("e.type = 'assigned'").groupBy("e.complaintId").getRawMany();
    expect(assignedEvents.filter((e) => Number(e.n) !== 1)).toEqual([]);
    const owned = await m.createQueryBuilder(Complaint, "c").where("c.id IN (:...ids)", { ids: taken }).andWhere("c.status = 'assigned'").getCount();
    expect(owned).toBe(100);
    const again = await x.call(0, "POST", "/api/v1/staff/complaint-queue/take", agents[0].auth, {});
    expect(again.status).toBe(200); // the 101st oldest of the 200 is still queued
  }, 120_000);
});
