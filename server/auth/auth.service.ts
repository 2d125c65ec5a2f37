import type { AppDeps } from "../http/context.js";
import { AppError } from "../http/app-error.js";
import { signToken } from "../http/tokens.js";
import { toMemberView, upsertMember } from "../members/members.service.js";
import type { DevLoginBody, WechatLoginBody } from "../members/members.schema.js";

async function issueMemberSession(deps: AppDeps, identity: Parameters<typeof upsertMember>[1]) {
  const member = await upsertMember(deps.db, identity);
  const { token, expiresAt } = await signToken(deps.config, { typ: "member", sub: member.id });
  return { token, expiresAt, member: toMemberView(member) };
}

/** Member login with a wx.login code, checked against WeChat's jscode2session. */
export async function loginWithWechat(deps: AppDeps, body: WechatLoginBody) {
  const session = await deps.wechat.exchangeLoginCode(body.code);
  return issueMemberSession(deps, { ...session, storeId: body.storeId });
}

/** Login by openid for local development and tests; off in production and whenever DEV_LOGIN is false. */
export async function loginForDev(deps: AppDeps, body: DevLoginBody) {
  if (!deps.config.devLogin) throw new AppError("DEV_LOGIN_DISABLED", "开发登录未开启");
  return issueMemberSession(deps, { openid: body.openid, unionid: null, nickname: body.nickname, storeId: body.storeId });
}
