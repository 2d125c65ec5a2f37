import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../../server/config.js";
import { signToken, verifyToken } from "../../../server/http/tokens.js";

const config = loadConfig({ NODE_ENV: "test", JWT_SECRET: "token-test-secret-0123456789-abcdefgh" });
const secret = new TextEncoder().encode(config.jwtSecret);
const forged = (claims: Record<string, unknown>, alg = "HS256", key = secret) =>
  new SignJWT(claims).setProtectedHeader({ alg }).setSubject("7").setIssuer("aftersales-member-service").setIssuedAt().setExpirationTime("1h").sign(key);
const reasonOf = (token: string) => verifyToken(config, token).then(() => "accepted", (err) => err.details?.reason);

describe("token verification", () => {
  it("accepts what signToken issued and returns its claims", async () => {
    const { token } = await signToken(config, { typ: "staff", sub: 42, ver: 3 });
    expect(await verifyToken(config, token)).toEqual({ typ: "staff", sub: 42, ver: 3 });
  });

  it("refuses another key, another algorithm, alg none, another issuer, a future nbf and garbage", async () => {
    expect(await reasonOf(await forged({ typ: "member" }, "HS256", new TextEncoder().encode("another-secret-0123456789-abcdefghij")))).toBe("invalid");
    expect(await reasonOf(await forged({ typ: "member" }, "HS512", new TextEncoder().encode(config.jwtSecret.repeat(2))))).toBe("invalid");
    const [, payload] = (await forged({ typ: "member" })).split(".");
    expect(await reasonOf(`${Buffer.from('{"alg":"none"}').toString("base64url")}.${payload}.`)).toBe("invalid");
    const otherIssuer = await new SignJWT({ typ: "member" }).setProtectedHeader({ alg: "HS256" }).setSubject("7").setIssuer("someone-else").setExpirationTime("1h").sign(secret);
    expect(await reasonOf(otherIssuer)).toBe("invalid");
    const notYet = await new SignJWT({ typ: "member" }).setProtectedHeader({ alg: "HS256" }).setSubject("7").setIssuer("aftersales-member-service").setNotBefore("1h").setExpirationTime("2h").sign(secret);
    expect(await reasonOf(notYet)).toBe("invalid");
    expect(await reasonOf(await forged({ typ: "robot" }))).toBe("invalid");
    for (const garbage of ["", "a.b", "a.b.c.d", "!!!.???.***", "eyJ.eyJ.x"]) expect(await reasonOf(garbage)).toBe("invalid");
  });

  it("tells an expired token apart, so the client logs in again", async () => {
    const expired = await new SignJWT({ typ: "member" }).setProtectedHeader({ alg: "HS256" }).setSubject("7").setIssuer("aftersales-member-service").setExpirationTime(Math.floor(Date.now() / 1000) - 5).sign(secret);
    expect(await reasonOf(expired)).toBe("expired");
  });
});
