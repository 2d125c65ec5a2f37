import { In, type EntityManager } from "typeorm";
import { listForMember } from "../complaints/list.service.js";
import { listMyCoupons } from "../coupons/coupons.service.js";
import { listMyBookings } from "../bookings/bookings.service.js";
import { STATUS_NAMES } from "../bookings/staff-bookings.service.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { Member } from "../members/members.entity.js";
import { getMemberProfile } from "../members/members.service.js";
import { ContactBinding } from "../notify/notify.entity.js";
import { StaffAccount } from "../staff/staff.entity.js";
import { Store } from "../stores/stores.entity.js";
import { cachedTiers } from "../tiers/tiers.service.js";
import { BotDialog, BotHandoff } from "./bot.entity.js";

export const BOOKINGS_PAGE = "pages/bookings/index";

/** 张** from 张三: the first character of the nickname, as the bot and agents may show it. */
export const maskName = (nickname: string) => `${[...nickname.trim()][0] ?? "会"}**`;

export const bindingOf = (m: EntityManager, account: string, contactId: string) => m.findOneBy(ContactBinding, { botAccount: account, contactId });

/** The member a contact is bound to, or 403 BOT_NOT_BOUND (unbound, or bound as staff). */
export async function boundMember(m: EntityManager, account: string, contactId: string): Promise<Member> {
  const binding = await bindingOf(m, account, contactId);
  const member = binding?.subjectType === "member" ? await m.findOneBy(Member, { id: binding.subjectId }) : null;
  if (!member) throw new AppError("BOT_NOT_BOUND", "请先在小程序“我的”中获取绑定码并发送给我，绑定会员后即可查询");
  return member;
}

/** The staff member a contact is bound to (enabled), or null. */
export async function boundStaff(m: EntityManager, account: string, contactId: string): Promise<StaffPrincipal | null> {
  const binding = await bindingOf(m, account, contactId);
  if (binding?.subjectType !== "staff") return null;
  const s = await m.findOneBy(StaffAccount, { id: binding.subjectId });
  return s && !s.disabled ? { id: s.id, username: s.username, name: s.name, role: s.role, storeId: s.storeId } : null;
}

export async function tierNameOf(m: EntityManager, member: Pick<Member, "tierCode">): Promise<string> {
  const tiers = await cachedTiers(m);
  return (tiers.find((t) => t.code === member.tierCode) ?? tiers[0])?.name ?? "会员";
}

/** Everything the bot needs to answer one message: who the contact is, the dialog in progress, an open handoff. */
export async function contextOf(m: EntityManager, account: string, contactId: string, now: Date) {
  const binding = await bindingOf(m, account, contactId);
  let who: object | null = null;
  let handoff: { id: number; tag: string; complaintId: number | null } | null = null;
  if (binding?.subjectType === "member") {
    const member = await m.findOneBy(Member, { id: binding.subjectId });
    if (member) {
      who = { type: "member", memberId: member.id, maskedName: maskName(member.nickname), tierName: await tierNameOf(m, member) };
      const open = await m.findOneBy(BotHandoff, { memberId: member.id, status: "open" });
      if (open) handoff = { id: open.id, tag: open.tag, complaintId: open.complaintId };
    }
  } else if (binding?.subjectType === "staff") {
    const staff = await m.findOneBy(StaffAccount, { id: binding.subjectId });
    if (staff && !staff.disabled) who = { type: "staff", staffId: staff.id, name: staff.name, role: staff.role };
  }
  const dialog = await m.findOneBy(BotDialog, { botAccount: account, contactId });
  return { binding: who, dialog: dialog && dialog.expiresAt > now ? (JSON.parse(dialog.state) as object) : null, handoff };
}

export async function memberPoints(m: EntityManager, memberId: number, now: Date) {
  const card = await getMemberProfile(m, memberId, now);
  return { balance: card.pointsBalance, tierName: card.tier.name, expiring: { points: card.expiringIn30Days.points, firstExpiresAt: card.expiringIn30Days.firstExpiresAt } };
}

type CouponView = { name: string; code: string; validTo: string; kind: string; valueFen: number | null; percentOff: number | null; maxDiscountFen: number | null; thresholdFen: number | null; serviceName: string | null };
const yuan = (fen: number) => (fen % 100 === 0 ? String(fen / 100) : (fen / 100).toFixed(2));

/** What a coupon is worth, in the words a member reads. */
export function describeCoupon(c: CouponView): string {
  if (c.kind === "threshold" && c.thresholdFen !== null && c.valueFen !== null) return `满${yuan(c.thresholdFen)}元减${yuan(c.valueFen)}元`;
  if (c.kind === "percent" && c.percentOff !== null) return `${(100 - c.percentOff) / 10}折${c.maxDiscountFen !== null ? `，最多优惠${yuan(c.maxDiscountFen)}元` : ""}`;
  if (c.kind === "service" && c.serviceName) return `免费${c.serviceName}`;
  return c.valueFen !== null ? `抵扣${yuan(c.valueFen)}元` : c.name;
}

export async function memberCoupons(m: EntityManager, memberId: number, now: Date) {
  const list = await listMyCoupons(m, memberId, { status: "available", page: 1, pageSize: 20 }, now);
  return { items: list.items.map((c) => ({ name: c.name, code: c.code, validTo: c.validTo, description: describeCoupon(c as CouponView) })) };
}

export async function memberBookings(m: EntityManager, memberId: number, now: Date) {
  const list = await listMyBookings(m, memberId, { scope: "upcoming", page: 1, pageSize: 20 }, now);
  const open = list.items.filter((b) => !["cancelled", "no_show", "completed"].includes(b.status)).slice(0, 5);
  const stores = open.length ? await m.findBy(Store, { id: In([...new Set(open.map((b) => b.storeId))]) }) : [];
  return {
    items: open.map((b) => ({
      bookingNo: b.bookingNo, storeName: stores.find((s) => s.id === b.storeId)?.name ?? "门店", start: b.start,
      serviceNames: b.services.map((s) => s.name ?? "").filter(Boolean).join("、"), statusName: STATUS_NAMES[b.status],
    })),
    miniprogramPath: BOOKINGS_PAGE,
  };
}

export async function memberComplaints(m: EntityManager, memberId: number, surveyDays: number, now: Date) {
  const list = await listForMember(m, memberId, 1, 10, surveyDays, now);
  return { items: list.items.map((c) => ({ id: c.id, number: c.number, statusText: c.statusText, createdAt: c.createdAt, surveyOpen: c.survey.open })) };
}
