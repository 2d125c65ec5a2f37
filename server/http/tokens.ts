import { createHmac, createSecretKey, timingSafeEqual, type KeyObject } from "node:crypto";
import { SignJWT, errors, type JWTPayload } from "jose";
import type { Config } from "../config.js";
import { AppError } from "./app-error.js";

const ISSUER = "aftersales-member-service";

export interface TokenClaims {
  typ: "member" | "staff";
  sub: number;
  /** staff only: must equal the account's tokenVersion */
  ver?: number;
}

// The HMAC key object, made once per configuration: encoding and importing the secret on every verify
// was a fifth of the member card's CPU time.
const keys = new WeakMap<Config, KeyObject>();
function keyOf(config: Config): KeyObject {
  let key = keys.get(config);
  if (!key) {
    key = createSecretKey(Buffer.from(config.jwtSecret, "utf8"));
    keys.set(config, key);
  }
  return key;
}

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

const BASE64URL = /^[A-Za-z0-9_-]+$/;

class InvalidToken extends Error {}

/**
 * HS256 verification with node:crypto, synchronous: the member card verifies a token on every read,
 * and jose's Web Crypto path (a key import and an async HMAC per call) cost a fifth of its CPU.
 * The same checks as jose's jwtVerify with { issuer, algorithms: ["HS256"] }: header alg, signature
 * (constant-time), issuer, exp and nbf.
 */
function verifyHs256(token: string, key: KeyObject): JWTPayload {
  const parts = token.split(".");
  if (parts.length !== 3 || !parts.every((part) => BASE64URL.test(part))) throw new InvalidToken();
  const [header, payload, signature] = parts;
  const alg = (JSON.parse(Buffer.from(header, "base64url").toString("utf8")) as { alg?: unknown; crit?: unknown }) ?? {};
  if (alg.alg !== "HS256" || alg.crit !== undefined) throw new InvalidToken();
  const expected = createHmac("sha256", key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new InvalidToken();
  const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as JWTPayload;
  if (claims === null || typeof claims !== "object" || claims.iss !== ISSUER) throw new InvalidToken();
  const now = Math.floor(Date.now() / 1000);
  if (typeof claims.nbf === "number" && claims.nbf > now) throw new InvalidToken();
  if (typeof claims.exp !== "number") throw new InvalidToken();
  if (claims.exp <= now) throw new errors.JWTExpired("token expired", claims);
  return claims;
}

/** Verifies signature, issuer and expiry; throws TOKEN_INVALID with a reason the client can act on. */
export async function verifyToken(config: Config, token: string): Promise<TokenClaims> {
  try {
    const payload = verifyHs256(token, keyOf(config));
    const sub = Number(payload.sub);
    if (!Number.isInteger(sub) || (payload.typ !== "member" && payload.typ !== "staff")) throw new Error("bad claims");
    return { typ: payload.typ, sub, ver: typeof payload.ver === "number" ? payload.ver : undefined };
  } catch (err) {
    if (err instanceof errors.JWTExpired) throw new AppError("TOKEN_INVALID", "登录已过期，请重新登录", { reason: "expired" });
    throw new AppError("TOKEN_INVALID", "登录凭证无效，请重新登录", { reason: "invalid" });
  }
}
