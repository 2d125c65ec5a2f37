import { LessThanOrEqual, MoreThan } from "typeorm";
import type { Database } from "../db/database.js";
import { PointsLot } from "./points.entity.js";
import { expireDueLots, lockMember } from "./points.service.js";

/** Daily: expires what is left of lots past their expiry, one member per transaction. Returns points expired. */
export async function expirePoints(db: Database, now = new Date()): Promise<number> {
  const rows = await db.read((m) =>
    m.createQueryBuilder(PointsLot, "lot").select("DISTINCT lot.memberId", "memberId").where({ remaining: MoreThan(0), expiresAt: LessThanOrEqual(now) }).getRawMany<{ memberId: number }>(),
  );
  let total = 0;
  for (const { memberId } of rows) {
    total += await db.tx(async (m) => {
      await lockMember(m, Number(memberId));
      return expireDueLots(m, Number(memberId), now);
    });
  }
  return total;
}
