import { timingSafeEqual } from "node:crypto";
import type { Context, Next } from "koa";
import { runAsMember } from "../db/causal-scope.js";
import { StaffAccount, type StaffRole } from "../staff/staff.entity.js";
import { AppError } from "./app-error.js";
import type { MemberPrincipal, StaffPrincipal } from "./context.js";
import { verifyToken, type TokenClaims } from "./tokens.js";

async function claimsOf(ctx: Context): Promise<TokenClaims> {
  const header = ctx.get("Authorization");
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new AppError("UNAUTHENTICATED", "请先登录");
  return verifyToken(ctx.deps.config, match[1]);
}

/** Lets only a logged-in member through and puts `{ id }` on ctx.state.member. */
export async function requireMember(ctx: Context, next: Next): Promise<void> {
  const claims = await claimsOf(ctx);
  if (claims.typ !== "member") throw new AppError("FORBIDDEN", "该接口仅限会员使用");
  ctx.state.member = { id: claims.sub };
  await runAsMember(next);
}

/** Lets through a chatbot process presenting its account's token (BOT_TOKENS) and puts `{ account }` on ctx.state.bot. */
export async function requireBot(ctx: Context, next: Next): Promise<void> {
  const match = /^Bearer\s+(\S+)$/i.exec(ctx.get("Authorization"));
  if (!match) throw new AppError("UNAUTHENTICATED", "请先登录");
  const presented = Buffer.from(match[1]);
  const account = Object.entries(ctx.deps.config.notify.botTokens).find(([, token]) => token.length === presented.length && timingSafeEqual(Buffer.from(token), presented))?.[0];
  if (!account) throw new AppError("BOT_TOKEN_INVALID", "机器人凭证无效");
  ctx.state.bot = { account };
  await next();
}

/** Lets through staff with one of the roles; the account is re-read so disabling takes effect at once. */
export function requireStaff(roles: readonly StaffRole[]) {
  return async function staffGuard(ctx: Context, next: Next): Promise<void> {
    const claims = await claimsOf(ctx);
    if (claims.typ !== "staff") throw new AppError("FORBIDDEN", "该接口仅限员工使用");
    const account = await ctx.deps.db.read((m) => m.findOneBy(StaffAccount, { id: claims.sub }));
    if (!account || account.tokenVersion !== claims.ver) throw new AppError("TOKEN_INVALID", "登录凭证已失效，请重新登录", { reason: "revoked" });
    if (account.disabled) throw new AppError("ACCOUNT_DISABLED", "账号已停用，请联系管理员");
    if (!roles.includes(account.role)) throw new AppError("FORBIDDEN", "当前角色无权执行此操作", { role: account.role });
    ctx.state.staff = { id: account.id, username: account.username, name: account.name, role: account.role, storeId: account.storeId };
    await next();
  };
}

export function memberOf(ctx: Context): MemberPrincipal {
  if (!ctx.state.member) throw new AppError("UNAUTHENTICATED", "请先登录");
  return ctx.state.member;
}

export function botOf(ctx: Context): { account: string } {
  if (!ctx.state.bot) throw new AppError("UNAUTHENTICATED", "请先登录");
  return ctx.state.bot;
}

export function staffOf(ctx: Context): StaffPrincipal {
  if (!ctx.state.staff) throw new AppError("UNAUTHENTICATED", "请先登录");
  return ctx.state.staff;
}

/** Staff bound to one store may act only on that store; storeId null means every store. */
export function assertStoreScope(staff: StaffPrincipal, storeId: number): void {
  if (staff.storeId !== null && staff.storeId !== storeId) {
    throw new AppError("STORE_SCOPE_FORBIDDEN", "无权操作其他门店的数据", { storeId });
  }
}
