import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLog } from "../../../server/audit/audit.entity.js";
import { Member } from "../../../server/members/members.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("member profile on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind);
  });
  afterAll(() => s.close());

  const rowOf = (id: number) => s.t.dataSource.manager.findOneByOrFail(Member, { id });

  it("shows and edits nickname, gender, birthday and home store", async () => {
    const { auth, member } = await s.loginMember("profile-1");
    const res = await s.http.patch("/api/v1/me").set("Authorization", auth).send({ nickname: "小陈", gender: "female", birthday: "1990-02-28", storeId: 2 }).expect(200);
    expect(res.body).toMatchObject({ id: member.id, nickname: "小陈", gender: "female", birthday: "1990-02-28", storeId: 2 });
    expect((await s.http.get("/api/v1/me").set("Authorization", auth)).body).toMatchObject(res.body);
  });

  it("keeps a birthday once set: it drives birthday benefits", async () => {
    const { auth, member } = await s.loginMember("profile-2");
    await s.http.patch("/api/v1/me").set("Authorization", auth).send({ birthday: "1985-06-01" }).expect(200);
    const again = await s.http.patch("/api/v1/me").set("Authorization", auth).send({ birthday: "1985-07-01" });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("BIRTHDAY_LOCKED");
    expect((await rowOf(member.id)).birthday).toBe("1985-06-01");
  });

  it("never takes a phone number from PATCH /me", async () => {
    const { auth, member } = await s.loginMember("profile-3");
    const res = await s.http.patch("/api/v1/me").set("Authorization", auth).send({ phone: "13800000000" });
    expect(res.status).toBe(400);
    expect(res.body.error.details[0]).toMatchObject({ field: "phone", rule: "additionalProperties" });
    expect((await rowOf(member.id)).phone).toBeNull();
  });

  it.each([
    [{}, "minProperties"],
    [{ birthday: "1990-02-30" }, "format"],
    [{ gender: "other" }, "enum"],
    [{ nickname: "" }, "minLength"],
    [{ nickname: "名".repeat(33) }, "maxLength"],
    [{ storeId: "2" }, "type"],
  ])("rejects %j with VALIDATION_FAILED and changes nothing", async (body, rule) => {
    const { auth, member } = await s.loginMember("profile-4");
    const before = await rowOf(member.id);
    const res = await s.http.patch("/api/v1/me").set("Authorization", auth).send(body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION_FAILED");
    expect(res.body.error.details[0].rule).toBe(rule);
    expect(await rowOf(member.id)).toEqual(before);
  });

  it("rejects a birthday in the future and an unknown store", async () => {
    const { auth } = await s.loginMember("profile-5");
    expect((await s.http.patch("/api/v1/me").set("Authorization", auth).send({ birthday: "2999-01-01" })).body.error.code).toBe("VALIDATION_FAILED");
    expect((await s.http.patch("/api/v1/me").set("Authorization", auth).send({ storeId: 999 })).body.error.code).toBe("STORE_NOT_FOUND");
  });

  it("binds the phone number WeChat verified, and audits it masked", async () => {
    const { auth, member } = await s.loginMember("profile-6");
    s.wechat.phoneCodes.set("phone-code-1", "13912345678");
    const res = await s.http.post("/api/v1/me/phone").set("Authorization", auth).send({ code: "phone-code-1" }).expect(200);
    expect(res.body.phone).toBe("13912345678");
    const audit = await s.t.dataSource.manager.findOneByOrFail(AuditLog, { targetId: member.id, action: "member.phone.verified" });
    expect(JSON.parse(audit.detail)).toMatchObject({ from: null, to: "139****5678" });
    const reused = await s.http.post("/api/v1/me/phone").set("Authorization", auth).send({ code: "phone-code-1" });
    expect(reused.status).toBe(400);
    expect(reused.body.error.code).toBe("WECHAT_CODE_INVALID");
  });

  it("rotates the member code so the old card stops working", async () => {
    const { auth, member } = await s.loginMember("profile-7");
    const rotated = await s.http.post("/api/v1/me/member-code/rotate").set("Authorization", auth).expect(200);
    expect(rotated.body.memberCode).toMatch(/^[2-9A-Z]{10}$/);
    expect(rotated.body.memberCode).not.toBe(member.memberCode);
    const advisor = await s.loginStaff("advisor", member.storeId);
    const old = await s.http.get(`/api/v1/staff/members?memberCode=${member.memberCode}`).set("Authorization", advisor.auth).expect(200);
    expect(old.body.total).toBe(0);
    const current = await s.http.get(`/api/v1/staff/members?memberCode=${rotated.body.memberCode}`).set("Authorization", advisor.auth).expect(200);
    expect(current.body.items.map((m: { id: number }) => m.id)).toEqual([member.id]);
  });
});
