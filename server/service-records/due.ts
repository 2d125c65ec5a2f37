import type { EntityManager } from "typeorm";
import type { Config } from "../config.js";
import { addMonths, todayInShanghai } from "../http/time.js";
import type { Asset } from "../assets/assets.entity.js";
import { MaintenanceInterval, ServiceRecord } from "./service-records.entity.js";

const DAY = 86_400_000;

/** The interval for a model: the first configured pattern its name contains, else the default. */
export async function intervalFor(m: EntityManager, config: Config, model: string) {
  const intervals = await m.find(MaintenanceInterval, { order: { id: "ASC" } });
  const match = intervals.find((i) => model.includes(i.modelPattern));
  return match ? { months: match.months, km: match.km } : config.maintenance;
}

/**
 * km per day from the asset's own history: the oldest reading we have (an earlier service, or 0 km at
 * purchase) against today's; null when there is not at least a day between them.
 */
export async function dailyMileage(m: EntityManager, asset: Asset, mileage: number, at: Date): Promise<number | null> {
  const first = await m.findOne(ServiceRecord, { where: { assetId: asset.id }, order: { completedAt: "ASC" } });
  const from = first ? { km: first.mileage, at: first.completedAt } : asset.purchaseDate ? { km: 0, at: new Date(`${asset.purchaseDate}T00:00:00+08:00`) } : null;
  if (!from) return null;
  const days = (at.getTime() - from.at.getTime()) / DAY;
  if (days < 1 || mileage <= from.km) return null;
  return (mileage - from.km) / days;
}

/** Next maintenance: `months` after this service or when the mileage interval is reached at the estimated pace, whichever is first. */
export async function nextDue(m: EntityManager, config: Config, asset: Asset, mileage: number, at: Date) {
  const interval = await intervalFor(m, config, asset.model);
  const perDay = await dailyMileage(m, asset, mileage, at);
  const byTime = addMonths(at, interval.months);
  const byMileage = perDay ? new Date(at.getTime() + (interval.km / perDay) * DAY) : null;
  const due = byMileage && byMileage < byTime ? byMileage : byTime;
  return { nextDueDate: todayInShanghai(due), nextDueMileage: mileage + interval.km, dailyKm: perDay === null ? null : Math.round(perDay * 10) / 10 };
}
