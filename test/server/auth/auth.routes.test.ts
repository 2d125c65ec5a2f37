import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { Member } from "../../../server/members/members.entity.js";
import { startTestApp, type TestApp } from "../../helpers/app.js";
import { DATABASE_KINDS } from "../../helpers/databases.js";

describe.each(DATABASE_KINDS)("member login on %s", (kind) => {
  let s: TestApp;
  beforeAll(async () => {
    s = await startTestApp(kind);
  });
  afterAll(() => s.close());

  it("registers a new member from a wx.login code and keeps the unionid", async () => {
    s.wechat.loginCodes.set("code-new", { openid: "oWX-new-1", unionid: "uWX-1" });
    const res = await s.http.post("/api/v1/auth/wechat").send({ code: "code-new" }).expect(200);
    expect(res.body.token).toMatch(/^ey/);
    expect(res.body.member).toMatchObject({ nickname: "微信用户", phone: null, gender: "unknown" });
    expect(res.body.member.memberCode).toMatch(/^[2-9A-Z]{10}$/);
    const stored = await s.t.dataSource.manager.findOneByOrFail(Member, { openid: "oWX-new-1" });
    expect(stored.unionid).toBe("uWX-1");
    const me = await s.http.get("/api/v1/me").set("Authorization", `Bearer ${res.body.token}`).expect(200);
    expect(me.body.id).toBe(stored.id);
  });

  it("logs the same openid into the same member on the next code", async () => {
    s.wechat.loginCodes.set("code-a", { openid: "oWX-same" });
    s.wechat.loginCodes.set("code-b", { openid: "oWX-same" });
    const first = await s.http.post("/api/v1/auth/wechat").send({ code: "code-a" }).expect(200);
    const second = await s.http.post("/api/v1/auth/wechat").send({ code: "code-b" }).expect(200);
    expect(second.body.member.id).toBe(first.body.member.id);
    expect(await s.t.dataSource.manager.countBy(Member, { openid: "oWX-same" })).toBe(1);
  });

  it("registers a member at the store whose QR code they scanned", async () => {
    s.wechat.loginCodes.set("code-store2", { openid: "oWX-store2" });
    const res = await s.http.post("/api/v1/auth/wechat").send({ code: "code-store2", storeId: 2 }).expect(200);
    expect(res.body.member.storeId).toBe(2);
  });

  it("answers an invalid or used code (40029) with 400 WECHAT_CODE_INVALID and creates nobody", async () => {
    const before = await s.t.dataSource.manager.count(Member);
    const res = await s.http.post("/api/v1/auth/wechat").send({ code: "never-issued" });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("WECHAT_CODE_INVALID");
    expect(res.body.error.message).toMatch(/重新进入小程序/);
    expect(await s.t.dataSource.manager.count(Member)).toBe(before);
  });

  it("answers WeChat's rate limit (45011) with 429 WECHAT_RATE_LIMITED", async () => {
    s.wechat.rateLimitedCodes.add("busy-code");
    const res = await s.http.post("/api/v1/auth/wechat").send({ code: "busy-code" });
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe("WECHAT_RATE_LIMITED");
  });

  it("rejects a login body with extra or missing fields", async () => {
    expect((await s.http.post("/api/v1/auth/wechat").send({})).body.error.code).toBe("VALIDATION_FAILED");
    expect((await s.http.post("/api/v1/auth/wechat").send({ code: "x", openid: "hijack" })).status).toBe(400);
    expect((await s.http.post("/api/v1/auth/dev").send({ openid: "a b" })).status).toBe(400);
  });

  it("refuses a tampered, expired or missing token", async () => {
    const { auth } = await s.loginMember("token-checks");
    const tampered = auth.slice(0, -3) + (auth.endsWith("abc") ? "xyz" : "abc");
    expect((await s.http.get("/api/v1/me").set("Authorization", tampered)).body.error.code).toBe("TOKEN_INVALID");
    const expired = await new SignJWT({ typ: "member" })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject("1")
      .setIssuer("aftersales-member-service")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 10)
      .sign(new TextEncoder().encode(s.config.jwtSecret));
    const res = await s.http.get("/api/v1/me").set("Authorization", `Bearer ${expired}`);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: "TOKEN_INVALID", details: { reason: "expired" } });
    expect((await s.http.get("/api/v1/me")).body.error.code).toBe("UNAUTHENTICATED");
  });

  it("keeps member and staff tokens apart", async () => {
    const member = await s.loginMember("not-staff");
    const staff = await s.loginStaff("advisor", 1);
    expect((await s.http.get("/api/v1/staff/me").set("Authorization", member.auth)).status).toBe(403);
    expect((await s.http.get("/api/v1/me").set("Authorization", staff.auth)).status).toBe(403);
  });
});

describe("dev login switched off", () => {
  it("is not found when DEV_LOGIN=false", async () => {
    const s = await startTestApp("sqlite", { DEV_LOGIN: "false" });
    const res = await s.http.post("/api/v1/auth/dev").send({ openid: "abcd" });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("DEV_LOGIN_DISABLED");
    await s.close();
  });
});
