import type { EntityManager } from "typeorm";
import { ensureRow, type Database } from "../db/database.js";
import { affectedOf, retryAfterUniqueRace } from "../db/errors.js";
import { AppError } from "../http/app-error.js";
import { periodEndOf, periodKeyOf } from "../http/time.js";
import type { StaffPrincipal } from "../http/context.js";
import { Member } from "../members/members.entity.js";
import { findMemberForStaff, storeOfAction } from "../members/members.service.js";
import type { UseBenefitBody } from "./tiers.schema.js";
import { BenefitRedemption, BenefitUsage, TierBenefit } from "./tiers.entity.js";

/** The counted benefits of the member's tier with what is left this period. */
export async function listBenefits(m: EntityManager, member: Member, now: Date) {
  const benefits = await m.find(TierBenefit, { where: { tierCode: member.tierCode }, order: { id: "ASC" } });
  return Promise.all(
    benefits.map(async (b) => {
      const periodKey = periodKeyOf(b.period, now);
      const usage = await m.findOneBy(BenefitUsage, { memberId: member.id, benefitCode: b.code, periodKey });
      const used = usage?.used ?? 0;
      return { code: b.code, name: b.name, period: b.period, periodKey, quota: b.quota, used, remaining: Math.max(0, b.quota - used), resetsAt: periodEndOf(b.period, now).toISOString() };
    }),
  );
}

export interface UseBenefitInput {
  memberId: number;
  benefitCode: string;
  /** the work order or booking the use belongs to; the same reference never counts twice */
  reference: string;
  staffId: number | null;
  storeId: number | null;
}

async function findUse(m: EntityManager, input: UseBenefitInput) {
  return m.findOneBy(BenefitRedemption, { memberId: input.memberId, benefitCode: input.benefitCode, reference: input.reference });
}

/** Uses one unit inside the caller's transaction; the period's usage row must exist (prepareBenefitUse). */
export async function useOnce(m: EntityManager, input: UseBenefitInput, now: Date) {
  const member = await m.findOneByOrFail(Member, { id: input.memberId });
  const benefit = await m.findOneBy(TierBenefit, { tierCode: member.tierCode, code: input.benefitCode });
  if (!benefit) throw new AppError("BENEFIT_NOT_AVAILABLE", "会员当前等级没有该权益", { tierCode: member.tierCode, benefitCode: input.benefitCode });
  const periodKey = periodKeyOf(benefit.period, now);
  const previous = await findUse(m, input);
  if (previous) return { replayed: true, periodKey: previous.periodKey, benefit };
  const used = await m
    .createQueryBuilder()
    .update(BenefitUsage)
    .set({ used: () => "used + 1" })
    .where("memberId = :memberId AND benefitCode = :code AND periodKey = :periodKey AND used < :quota", { memberId: member.id, code: benefit.code, periodKey, quota: benefit.quota })
    .execute();
  if (affectedOf(used) === 0) throw new AppError("BENEFIT_EXHAUSTED", `本期「${benefit.name}」已用完`, { quota: benefit.quota });
  await m.insert(BenefitRedemption, { ...input, benefitCode: benefit.code, periodKey, createdAt: now });
  return { replayed: false, periodKey, benefit };
}

/** Creates this period's usage row for the member's benefit, if the tier has it, outside the using transaction. */
export async function prepareBenefitUse(db: Database, memberId: number, benefitCode: string, now: Date): Promise<void> {
  const benefit = await db.read(async (m) => m.findOneBy(TierBenefit, { tierCode: (await m.findOneByOrFail(Member, { id: memberId })).tierCode, code: benefitCode }));
  if (!benefit) return;
  const periodKey = periodKeyOf(benefit.period, now);
  await ensureRow(db, BenefitUsage, { memberId, benefitCode, periodKey }, { memberId, benefitCode, periodKey, used: 0 });
}

/** Gives back a use (a cancelled booking): removes its redemption and lowers the count once. */
export async function releaseBenefit(m: EntityManager, memberId: number, benefitCode: string, reference: string): Promise<void> {
  const use = await m.findOneBy(BenefitRedemption, { memberId, benefitCode, reference });
  if (!use) return;
  const removed = await m.delete(BenefitRedemption, { id: use.id });
  if (!removed.affected) return;
  await m
    .createQueryBuilder()
    .update(BenefitUsage)
    .set({ used: () => "used - 1" })
    .where("memberId = :memberId AND benefitCode = :benefitCode AND periodKey = :periodKey AND used > 0", { memberId, benefitCode, periodKey: use.periodKey })
    .execute();
}

/** Uses one unit of a counted benefit: guarded by `used < quota`, once per reference. */
export async function useBenefit(db: Database, input: UseBenefitInput, now = new Date()) {
  const run = async () => {
    await prepareBenefitUse(db, input.memberId, input.benefitCode, now);
    return db.tx((m) => useOnce(m, input, now));
  };
  const result = await retryAfterUniqueRace(run);
  const usage = await db.read((m) => m.findOneByOrFail(BenefitUsage, { memberId: input.memberId, benefitCode: result.benefit.code, periodKey: result.periodKey }));
  return { benefitCode: result.benefit.code, name: result.benefit.name, reference: input.reference, replayed: result.replayed, quota: result.benefit.quota, remaining: Math.max(0, result.benefit.quota - usage.used) };
}

/** Staff redeem a benefit for the member whose card they scanned, in their own store. */
export async function useBenefitByStaff(db: Database, staff: StaffPrincipal, body: UseBenefitBody) {
  const storeId = storeOfAction(staff, body.storeId);
  const member = await db.read((m) => findMemberForStaff(m, staff, body));
  return useBenefit(db, { memberId: member.id, benefitCode: body.benefitCode, reference: body.reference, staffId: staff.id, storeId });
}
