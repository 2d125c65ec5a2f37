import { SignJWT, jwtVerify, errors } from "jose";
import type { Config } from "../config.js";
import { AppError } from "./app-error.js";

const ISSUER = "aftersales-member-service";

export interface TokenClaims {
  typ: "member" | "staff";
  sub: number;
  /** staff only: must equal the account's tokenVersion */
  ver?: number;
}

const keyOf = (config: Config) => new TextEncoder().encode(config.jwtSecret);

/** Signs a self-contained HS256 token; nothing is kept on the server. */
export async function signToken(config: Config, claims: TokenClaims): Promise<{ token: string; expiresAt: string }> {
  const ttl = claims.typ === "member" ? config.memberTokenTtlSeconds : config.staffTokenTtlSeconds;
  const exp = Math.floor(Date.now() / 1000) + ttl;
  const token = await new SignJWT({ typ: claims.typ, ver: claims.ver })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(String(claims.sub))
    .setIssuer(ISSUER)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(keyOf(config));
  return { token, expiresAt: new Date(exp * 1000).toISOString() };
}

/** Verifies signature, issuer and expiry; throws TOKEN_INVALID with a reason the client can act on. */
export async function verifyToken(config: Config, token: string): Promise<TokenClaims> {
  try {
    const { payload } = await jwtVerify(token, keyOf(config), { issuer: ISSUER, algorithms: ["HS256"] });
    const sub = Number(payload.sub);
    if (!Number.isInteger(sub) || (payload.typ !== "member" && payload.typ !== "staff")) throw new Error("bad claims");
    return { typ: payload.typ, sub, ver: typeof payload.ver === "number" ? payload.ver : undefined };
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new AppError("TOKEN_INVALID", "登录已过期，请重新登录", { reason: "expired" });
    throw new AppError("TOKEN_INVALID", "登录凭证无效，请重新登录", { reason: "invalid" });
  }
}
