import type { EntityManager } from "typeorm";
import { recordAudit } from "../audit/audit.service.js";
import type { Database } from "../db/database.js";
import { retryAfterUniqueRace, uniqueViolationOf } from "../db/errors.js";
import { AppError, notFound } from "../http/app-error.js";
import { assertStoreScope } from "../http/auth.js";
import type { AppDeps, StaffPrincipal } from "../http/context.js";
import { todayInShanghai } from "../http/time.js";
import { readMemberCard } from "./member-card.js";
import { maskPhone } from "../privacy/mask.js";
import { cachedTiers, tierSummary } from "../tiers/tiers.service.js";
import { Store } from "../stores/stores.entity.js";
import { newMemberCode } from "./member-code.js";
import { Member } from "./members.entity.js";
import type { UpdateMeBody } from "./members.schema.js";

/** What a member sees of themself. */
export function toMemberView(member: Pick<Member, "id" | "nickname" | "phone" | "birthday" | "gender" | "memberCode" | "storeId" | "assetCount" | "createdAt">) {
  return {
    id: member.id,
    nickname: member.nickname,
    phone: member.phone,
    birthday: member.birthday,
    gender: member.gender,
    memberCode: member.memberCode,
    storeId: member.storeId,
    assetCount: member.assetCount,
    createdAt: member.createdAt.toISOString(),
  };
}

/**
 * The member card: profile, points balance, tier with progress, and points expiring in the next 30
 * days. One statement reads the member with the 12-month earnings and the expiring lots (the card is
 * the most read page); the tier ladder comes from its short cache.
 */
export async function getMemberProfile(m: EntityManager, memberId: number, now = new Date()) {
  const [card, tiers] = await Promise.all([readMemberCard(m, memberId, now), cachedTiers(m)]);
  if (!card) throw notFound("会员");
  const { member, earned, expiringPoints, firstExpiresAt } = card;
  return { ...toMemberView(member), pointsBalance: member.pointsBalance, ...tierSummary(tiers, member, earned), expiringIn30Days: { points: expiringPoints, firstExpiresAt } };
}

/** An active store by id, or STORE_NOT_FOUND. */
export async function requireActiveStore(m: EntityManager, storeId: number): Promise<Store> {
  const store = await m.findOneBy(Store, { id: storeId, active: true });
  if (!store) throw new AppError("STORE_NOT_FOUND", "所选门店不存在或已停业", { storeId });
  return store;
}

export async function getMember(m: EntityManager, memberId: number): Promise<Member> {
  const member = await m.findOneBy(Member, { id: memberId });
  if (!member) throw notFound("会员");
  return member;
}

interface Identity {
  openid: string;
  unionid: string | null;
  nickname?: string;
  storeId?: number;
}

async function upsertOnce(m: EntityManager, identity: Identity): Promise<Member> {
  const existing = await m.findOneBy(Member, { openid: identity.openid });
  if (existing) {
    if (identity.unionid && existing.unionid !== identity.unionid) {
      await m.update(Member, { id: existing.id }, { unionid: identity.unionid, updatedAt: new Date() });
      existing.unionid = identity.unionid;
    }
    return existing;
  }
  const storeId = identity.storeId
    ? (await requireActiveStore(m, identity.storeId)).id
    : (await m.findOne(Store, { where: { active: true }, order: { id: "ASC" } }))?.id;
  if (!storeId) throw new AppError("STORE_NOT_FOUND", "暂无营业门店，无法注册会员");
  const now = new Date();
  const member = m.create(Member, {
    openid: identity.openid,
    unionid: identity.unionid,
    memberCode: newMemberCode(),
    nickname: identity.nickname ?? "微信用户",
    phone: null,
    birthday: null,
    gender: "unknown",
    storeId,
    assetCount: 0,
    createdAt: now,
    updatedAt: now,
  });
  return m.save(member);
}

/** Finds the member by openid or registers them; a parallel first login for the same openid is retried once. */
export async function upsertMember(db: Database, identity: Identity): Promise<Member> {
  return retryAfterUniqueRace(() => db.tx((m) => upsertOnce(m, identity)));
}

/** Applies a member's own profile changes; a birthday, once set, is changed only by staff (it drives birthday benefits). */
export async function updateMe(m: EntityManager, memberId: number, changes: UpdateMeBody) {
  const member = await getMember(m, memberId);
  if (changes.birthday !== undefined && member.birthday !== null && changes.birthday !== member.birthday) {
    throw new AppError("BIRTHDAY_LOCKED", "生日设置后不可自行修改，如需更正请联系门店");
  }
  if (changes.birthday !== undefined && (changes.birthday > todayInShanghai() || changes.birthday < "1900-01-01")) {
    throw new AppError("VALIDATION_FAILED", "生日日期不合法", [{ in: "body", field: "birthday", rule: "range", message: "日期超出范围" }]);
  }
  if (changes.storeId !== undefined) await requireActiveStore(m, changes.storeId);
  await m.update(Member, { id: memberId }, { ...changes, updatedAt: new Date() });
  return getMemberProfile(m, memberId);
}

/** Sets a phone number that was verified by WeChat or confirmed by staff, and audits it (masked). */
export async function setPhone(
  m: EntityManager,
  memberId: number,
  phone: string,
  by: { actorType: "member" | "staff"; actorId: number; identityNote?: string },
): Promise<Member> {
  const member = await getMember(m, memberId);
  await m.update(Member, { id: memberId }, { phone, updatedAt: new Date() });
  await recordAudit(m, {
    actorType: by.actorType,
    actorId: by.actorId,
    action: by.actorType === "member" ? "member.phone.verified" : "member.phone.changed_by_staff",
    targetType: "member",
    targetId: memberId,
    detail: { from: maskPhone(member.phone), to: maskPhone(phone), identityNote: by.identityNote ?? null },
  });
  return getMember(m, memberId);
}

/** Binds the phone number WeChat verified for a getPhoneNumber code. */
export async function bindVerifiedPhone(deps: Pick<AppDeps, "db" | "wechat">, memberId: number, code: string) {
  const phone = await deps.wechat.exchangePhoneCode(code);
  return deps.db.tx(async (m) => {
    await setPhone(m, memberId, phone, { actorType: "member", actorId: memberId });
    return getMemberProfile(m, memberId);
  });
}

/** Issues a new member-card code; the old one stops working at once. */
export async function rotateMemberCode(db: Database, memberId: number) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await db.tx(async (m) => {
        await m.update(Member, { id: memberId }, { memberCode: newMemberCode(), updatedAt: new Date() });
        return getMemberProfile(m, memberId);
      });
    } catch (err) {
      if (uniqueViolationOf(err) === null || attempt >= 2) throw err;
    }
  }
}

/**
 * The member a staff action is for: by member code (the member is present and shows the card, so any
 * store may serve them) or by id (only within the staff member's store).
 */
export async function findMemberForStaff(m: EntityManager, staff: StaffPrincipal, ref: { memberCode?: string; memberId?: number }): Promise<Member> {
  if (ref.memberCode) {
    const member = await m.findOneBy(Member, { memberCode: ref.memberCode.toUpperCase() });
    if (!member) throw new AppError("NOT_FOUND", "会员码无效或已更换，请让会员刷新会员码");
    return member;
  }
  if (!ref.memberId) throw new AppError("VALIDATION_FAILED", "请提供会员码或会员编号", [{ in: "body", field: "memberCode", rule: "required", message: "缺少必填字段" }]);
  const member = await getMember(m, ref.memberId);
  assertStoreScope(staff, member.storeId);
  return member;
}

/** The store a staff action happens in: their own, or the one named when they cover every store. */
export function storeOfAction(staff: StaffPrincipal, storeId?: number): number {
  if (staff.storeId !== null) {
    if (storeId !== undefined) assertStoreScope(staff, storeId);
    return staff.storeId;
  }
  if (storeId === undefined) throw new AppError("STORE_REQUIRED", "请指定门店（storeId）");
  return storeId;
}
