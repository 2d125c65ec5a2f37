import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Booking, SlotUsage } from "../../../server/bookings/bookings.entity.js";
import { Member } from "../../../server/members/members.entity.js";
import { at, giveCars, nextOpenDate } from "../../helpers/booking.js";
import { RACE_KINDS } from "../../helpers/databases.js";
import { createMembers, startTwoInstances, type TwoInstances } from "../../helpers/instances.js";

describe.each(RACE_KINDS)("advisors booking for members on %s", (kind) => {
  let x: TwoInstances;
  let advisor: { auth: string; id: number };
  beforeAll(async () => {
    x = await startTwoInstances(kind);
    advisor = await x.s.loginStaff("advisor", 1);
  });
  afterAll(() => x.close());

  const codeOf = async (id: number) => (await x.s.t.dataSource.manager.findOneByOrFail(Member, { id })).memberCode;
  const staffBook = (i: number, body: object, key?: string) => x.call(i, "POST", "/api/v1/staff/bookings", advisor.auth, body, key ? { "Idempotency-Key": key } : {});

  it("books by member code on the phone and by phone number at the desk, recording who and how; a retry returns the first booking", async () => {
    const members = await createMembers(x.s, 2, `dska-${kind}`);
    const cars = await giveCars(x.s, members.map((m) => m.id));
    await x.s.t.dataSource.manager.update(Member, { id: members[1].id }, { phone: "13700137000" });
    const start = at(nextOpenDate(3), "09:30");
    const byCode = await staffBook(0, { memberCode: await codeOf(members[0].id), channel: "phone", storeId: 1, serviceIds: [1], assetId: cars[0], start, note: "客户来电预约" }, `desk-${kind}-a1`);
    expect(byCode.status).toBe(201);
    expect(byCode.body).toMatchObject({ memberId: members[0].id, channel: "phone", createdByStaffId: advisor.id, status: "booked" });
    const retry = await staffBook(1, { memberCode: await codeOf(members[0].id), channel: "phone", storeId: 1, serviceIds: [1], assetId: cars[0], start, note: "客户来电预约" }, `desk-${kind}-a1`);
    expect(retry.body.id).toBe(byCode.body.id);
    const byPhone = await staffBook(0, { phone: "13700137000", channel: "walk_in", storeId: 1, serviceIds: [1], assetId: cars[1], start }, `desk-${kind}-a2`);
    expect(byPhone.status).toBe(201);
    expect(byPhone.body).toMatchObject({ memberId: members[1].id, channel: "walk_in" });
    // the member sees it in their bookings, with how it was made
    const mine = (await x.call(0, "GET", "/api/v1/me/bookings", members[0].auth)).body.items;
    expect(mine).toEqual([expect.objectContaining({ id: byCode.body.id, channel: "phone", channelName: "电话预约" })]);
    // the store's day schedule shows how each booking was made and by whom
    const day = (await x.call(1, "GET", `/api/v1/staff/bookings?date=${nextOpenDate(3)}`, advisor.auth)).body;
    expect(day.find((b: { id: number }) => b.id === byCode.body.id)).toMatchObject({ channel: "phone", channelName: "电话预约", createdByStaffId: advisor.id, createdByStaffName: "测试advisor" });
    expect(day.find((b: { id: number }) => b.id === byPhone.body.id)).toMatchObject({ channel: "walk_in", channelName: "到店预约", createdByStaffName: "测试advisor" });
  });

  it("refuses without a key, another store, an unknown caller or no member reference, and a car that is not the member's", async () => {
    const [member] = await createMembers(x.s, 1, `dskb-${kind}`);
    const [car] = await giveCars(x.s, [member.id]);
    const body = { memberCode: await codeOf(member.id), channel: "phone", storeId: 1, serviceIds: [1], assetId: car, start: at(nextOpenDate(3), "11:00") };
    expect((await staffBook(0, body)).body.error.code).toBe("IDEMPOTENCY_KEY_REQUIRED");
    expect((await staffBook(0, { ...body, storeId: 2 }, `bad-${kind}-01`)).body.error.code).toBe("STORE_SCOPE_FORBIDDEN");
    const unknown = await staffBook(0, { ...body, memberCode: undefined, phone: "13011112222" }, `bad-${kind}-02`);
    expect([unknown.status, unknown.body.error.code]).toEqual([404, "NOT_FOUND"]);
    expect((await staffBook(0, { ...body, memberCode: undefined }, `bad-${kind}-03`)).body.error.code).toBe("VALIDATION_FAILED");
    const [other] = await createMembers(x.s, 1, `dske-${kind}`);
    expect((await staffBook(0, { ...body, memberCode: await codeOf(other.id) }, `bad-${kind}-04`)).status).toBe(404);
    expect(await x.s.t.dataSource.manager.countBy(Booking, { memberId: member.id })).toBe(0);
  });

  it("books a member whose online booking is suspended: the suspension tells them to call the store", async () => {
    const [member] = await createMembers(x.s, 1, `dskc-${kind}`);
    const [car] = await giveCars(x.s, [member.id]);
    await x.s.t.dataSource.manager.update(Member, { id: member.id }, { bookingSuspendedUntil: new Date(Date.now() + 10 * 86_400_000) });
    const body = { storeId: 1, serviceIds: [1], assetId: car, start: at(nextOpenDate(3), "14:30") };
    expect((await x.call(0, "POST", "/api/v1/bookings", member.auth, body, { "Idempotency-Key": `susp-${kind}-m` })).body.error.code).toBe("BOOKING_SUSPENDED");
    expect((await staffBook(0, { ...body, memberCode: await codeOf(member.id), channel: "phone" }, `susp-${kind}-s`)).status).toBe(201);
  });

  it("300 parallel bookings for the last 2 places, half by advisors and half by members, over two instances: exactly 2 succeed", async () => {
    const date = nextOpenDate(6);
    const start = at(date, "15:00");
    const members = await createMembers(x.s, 301, `dskd-${kind}`);
    const cars = await giveCars(x.s, members.map((m) => m.id));
    const codes = await Promise.all(members.map((m) => codeOf(m.id)));
    expect((await x.call(0, "POST", "/api/v1/bookings", members[300].auth, { storeId: 1, serviceIds: [1], assetId: cars[300], start }, { "Idempotency-Key": `deskrace-${kind}-first` })).status).toBe(201);
    const results = await Promise.all(
      members.slice(0, 300).map((m, i) => {
        const body = { storeId: 1, serviceIds: [1], assetId: cars[i], start };
        return i % 2 === 0
          ? staffBook(i, { ...body, memberCode: codes[i], channel: "phone" }, `deskrace-${kind}-s${i}`)
          : x.call(i, "POST", "/api/v1/bookings", m.auth, body, { "Idempotency-Key": `deskrace-${kind}-m${i}` });
      }),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect(results.filter((r) => r.status !== 201).every((r) => r.status === 409 && r.body.error.code === "SLOT_FULL")).toBe(true);
    const m = x.s.t.dataSource.manager;
    expect(await m.countBy(Booking, { storeId: 1, start: new Date(start), status: "booked" })).toBe(3);
    for (const half of ["15:00", "15:30"]) expect((await m.findOneByOrFail(SlotUsage, { storeId: 1, bayKind: "lift", slotStart: new Date(at(date, half)) })).booked).toBe(3);
  }, 120_000);
});
