import { MoreThan } from "typeorm";
import type { Database } from "../db/database.js";
import { Member } from "../members/members.entity.js";
import { reviewTier } from "./tiers.service.js";

const BATCH = 500;

/** 1st of the month: every member is re-evaluated on the last 12 months; this is the only place tiers go down. */
export async function reviewAllTiers(db: Database, now = new Date()) {
  const counts = { up: 0, down: 0, same: 0 };
  for (let afterId = 0; ; ) {
    const ids = await db.read((m) => m.find(Member, { select: { id: true }, where: { id: MoreThan(afterId) }, order: { id: "ASC" }, take: BATCH }));
    if (ids.length === 0) return counts;
    for (const { id } of ids) counts[await db.tx((m) => reviewTier(m, id, now))]++;
    afterId = ids[ids.length - 1].id;
  }
}
