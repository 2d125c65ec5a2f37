import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Member } from "../../../server/members/members.entity.js";
import { StaffAccount } from "../../../server/staff/staff.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("the access log filtered by member code or phone, and its readers, on %s", (kind) => {
  let s: TestApp;
  let memberA: { id: number; memberCode: string };
  let memberB: { id: number; memberCode: string };
  let advisor1: { auth: string; id: number };
  let advisor2: { auth: string; id: number };
  let leaver: { auth: string; id: number };

  const read = (auth: string, memberId: number, reason: string) => s.http.get(`/api/v1/staff/members/${memberId}/archive`).query({ reason }).set("Authorization", auth).expect(200);
  const logs = (auth: string, query: Record<string, string | number>) => s.http.get("/api/v1/staff/access-logs").query(query).set("Authorization", auth);

  beforeAll(async () => {
    s = await startTestApp(kind);
    memberA = (await s.loginMember("log-filter-a", 1)).member;
    memberB = (await s.loginMember("log-filter-b", 2)).member;
    await s.t.dataSource.manager.update(Member, { id: memberA.id }, { phone: "13811112222" });
    advisor1 = await s.loginStaff("advisor", 1);
    advisor2 = await s.loginStaff("advisor", 2);
    leaver = await s.loginStaff("advisor", 1);
    await read(advisor1.auth, memberA.id, "到店接待");
    await read(leaver.auth, memberA.id, "电话咨询");
    await read(advisor2.auth, memberB.id, "投诉处理");
    await s.t.dataSource.manager.update(StaffAccount, { id: leaver.id }, { disabled: true });
  });
  afterAll(() => s.close());

  it("finds a member's reads by member code (any case) or phone, the same as by id", async () => {
    const manager = await s.loginStaff("manager", 1);
    const byId = (await logs(manager.auth, { memberId: memberA.id }).expect(200)).body;
    expect(byId.items.map((r: { reason: string }) => r.reason)).toEqual(["电话咨询", "到店接待"]);
    const byCode = (await logs(manager.auth, { memberCode: memberA.memberCode.toLowerCase() }).expect(200)).body;
    expect(byCode).toEqual(byId);
    const byPhone = (await logs(manager.auth, { memberPhone: "13811112222" }).expect(200)).body;
    expect(byPhone).toEqual(byId);
    expect((await logs(manager.auth, { memberCode: memberA.memberCode, memberId: memberA.id }).expect(200)).body).toEqual(byId);
    expect((await logs(manager.auth, { memberCode: memberA.memberCode, memberId: memberB.id }).expect(200)).body).toMatchObject({ total: 0, items: [] });
  });

  it("keeps a manager to their store's log whoever the code names", async () => {
    const manager = await s.loginStaff("manager", 1);
    expect((await logs(manager.auth, { memberCode: memberB.memberCode }).expect(200)).body).toMatchObject({ total: 0, items: [] });
    const group = await s.loginStaff("manager", null);
    const all = (await logs(group.auth, { memberCode: memberB.memberCode }).expect(200)).body;
    expect(all.items).toEqual([expect.objectContaining({ memberId: memberB.id, staffId: advisor2.id, reason: "投诉处理" })]);
  });

  it("answers an unknown code or phone, or a phone two members share, with a Chinese message", async () => {
    const manager = await s.loginStaff("manager", 1);
    const code = await logs(manager.auth, { memberCode: "ZZZZZZ9999" });
    expect(code.status).toBe(404);
    expect(code.body.error).toMatchObject({ code: "NOT_FOUND", message: expect.stringContaining("会员码") });
    const phone = await logs(manager.auth, { memberPhone: "13900000000" });
    expect(phone.body.error).toMatchObject({ code: "NOT_FOUND", message: "没有使用该手机号的会员" });
    await s.t.dataSource.manager.update(Member, { id: memberB.id }, { phone: "13811112222" });
    const shared = await logs(manager.auth, { memberPhone: "13811112222" });
    expect(shared.status).toBe(409);
    expect(shared.body.error.code).toBe("MEMBER_AMBIGUOUS");
    await s.t.dataSource.manager.update(Member, { id: memberB.id }, { phone: null });
    expect((await logs(manager.auth, { memberPhone: "1381111" })).body.error.code).toBe("VALIDATION_FAILED");
  });

  it("lists who appears in the log for the 查阅人 filter: the store's readers, disabled ones too; every reader for a manager of all stores", async () => {
    const manager = await s.loginStaff("manager", 1);
    const ids = async (auth: string) => (await s.http.get("/api/v1/staff/access-log-viewers").set("Authorization", auth).expect(200)).body.map((v: { id: number }) => v.id).sort();
    expect(await ids(manager.auth)).toEqual([advisor1.id, leaver.id].sort());
    const viewers = (await s.http.get("/api/v1/staff/access-log-viewers").set("Authorization", manager.auth).expect(200)).body;
    expect(viewers).toContainEqual({ id: leaver.id, name: "测试advisor", username: expect.any(String), role: "advisor", storeId: 1, disabled: true });
    const group = await s.loginStaff("manager", null);
    expect(await ids(group.auth)).toEqual([advisor1.id, advisor2.id, leaver.id].sort());
    expect((await s.http.get("/api/v1/staff/access-log-viewers").set("Authorization", advisor1.auth)).status).toBe(403);
  });
});
