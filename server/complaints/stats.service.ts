import { In, type EntityManager } from "typeorm";
import { assertStoreScope } from "../http/auth.js";
import type { StaffPrincipal } from "../http/context.js";
import { Store } from "../stores/stores.entity.js";
import { whereStaffMaySee } from "./access.js";
import { CATEGORIES, CHANNELS, SEVERITIES } from "./categories.js";
import { Complaint } from "./complaints.entity.js";
import type { StatsQuery } from "./stats.schema.js";

const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000; // UTC+8, no daylight saving

/** A statistics period: the ISO week (Monday first) or calendar month in Shanghai, [startsAt, endsAt). */
export interface StatsPeriod {
  kind: "week" | "month";
  /** 2026-W46 or 2026-11: what file names carry */
  key: string;
  label: string;
  /** first and last calendar day, YYYY-MM-DD */
  from: string;
  to: string;
  startsAt: Date;
  endsAt: Date;
}

const ymd = (utcMidnight: number) => new Date(utcMidnight).toISOString().slice(0, 10);
const md = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

/** The week or month that contains the Shanghai calendar date. */
export function periodOf(kind: "week" | "month", date: string): StatsPeriod {
  const [y, m, d] = date.split("-").map(Number);
  if (kind === "month") {
    const first = Date.UTC(y, m - 1, 1);
    const next = Date.UTC(y, m, 1);
    const key = `${y}-${String(m).padStart(2, "0")}`;
    return { kind, key, label: `${y}年${m}月`, from: ymd(first), to: ymd(next - DAY_MS), startsAt: new Date(first - SHANGHAI_OFFSET_MS), endsAt: new Date(next - SHANGHAI_OFFSET_MS) };
  }
  const day = Date.UTC(y, m - 1, d);
  const monday = day - ((new Date(day).getUTCDay() + 6) % 7) * DAY_MS;
  const thursday = new Date(monday + 3 * DAY_MS); // the ISO week belongs to the year of its Thursday
  const isoYear = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(isoYear, 0, 1)) / (7 * DAY_MS)) + 1;
  const from = ymd(monday);
  const to = ymd(monday + 6 * DAY_MS);
  const key = `${isoYear}-W${String(week).padStart(2, "0")}`;
  return { kind, key, label: `${isoYear}年第${week}周（${md(from)}–${md(to)}）`, from, to, startsAt: new Date(monday - SHANGHAI_OFFSET_MS), endsAt: new Date(monday + 7 * DAY_MS - SHANGHAI_OFFSET_MS) };
}

/** The columns statistics and exports read: no names, phones, plates or content. */
const STATS_COLUMNS = [
  "id", "number", "storeId", "channel", "category", "severity", "majorReasons", "status", "receivedAt",
  "firstResponseDueAt", "firstRespondedAt", "resolutionDueAt", "resolvedAt",
  "compensationType", "compensationPoints", "compensationValueFen", "compensationCouponId", "compensationLedgerId",
  "satisfactionRating", "satisfactionSolved", "surveyedAt",
] as const;
export type StatsRow = Pick<Complaint, (typeof STATS_COLUMNS)[number]>;

/** met: done by its due time; late: done after it; overdue: not done and past due now; open: not done, not yet due. */
export type StageOutcome = "met" | "late" | "overdue" | "open";

function outcomeOf(doneAt: Date | null, dueAt: Date, now: Date): StageOutcome {
  if (doneAt) return doneAt <= dueAt ? "met" : "late";
  return now > dueAt ? "overdue" : "open";
}

/** What one complaint adds to the figures (and what its export row shows). */
export function factsOf(c: StatsRow, now: Date) {
  const granted = c.compensationType !== null && c.compensationValueFen !== null && (c.compensationCouponId !== null || c.compensationLedgerId !== null);
  return {
    firstResponseMs: c.firstRespondedAt ? c.firstRespondedAt.getTime() - c.receivedAt.getTime() : null,
    resolutionMs: c.resolvedAt ? c.resolvedAt.getTime() - c.receivedAt.getTime() : null,
    firstResponse: outcomeOf(c.firstRespondedAt, c.firstResponseDueAt, now),
    resolution: outcomeOf(c.resolvedAt, c.resolutionDueAt, now),
    repeat: c.majorReasons.split(",").includes("repeat"),
    /** an issued coupon or points credit recorded on the complaint (a pending approval has none yet) */
    compensation: granted ? { type: c.compensationType as "coupon" | "points", fen: c.compensationValueFen as number, points: c.compensationPoints ?? 0 } : null,
  };
}

/** Milliseconds → hours with one decimal. */
export const hoursOf = (ms: number) => Math.round(ms / 360_000) / 10;
const rate = (part: number, whole: number) => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 10_000);

function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function countBy<K extends string>(names: Record<K, string>, values: string[]) {
  return (Object.keys(names) as K[]).map((code) => ({ code, name: names[code], count: values.filter((v) => v === code).length }));
}

function slaFigures(outcomes: StageOutcome[]) {
  const done = outcomes.filter((o) => o === "met" || o === "late").length;
  const met = outcomes.filter((o) => o === "met").length;
  const late = outcomes.filter((o) => o === "late").length;
  const overdue = outcomes.filter((o) => o === "overdue").length;
  return { done, onTime: met, late, overdue, breaches: late + overdue, complianceRate: rate(met, done) };
}

/** Every figure of the period from its rows, as of `now` (what is overdue depends on it). */
export function figuresOf(rows: StatsRow[], storeNames: Map<number, string>, now: Date) {
  const facts = rows.map((c) => factsOf(c, now));
  const firstMs = facts.flatMap((f) => (f.firstResponseMs === null ? [] : [f.firstResponseMs]));
  const resolutionMs = facts.flatMap((f) => (f.resolutionMs === null ? [] : [f.resolutionMs]));
  const medianFirst = median(firstMs);
  const medianResolution = median(resolutionMs);
  const rated = rows.flatMap((c) => (c.satisfactionRating === null ? [] : [c.satisfactionRating]));
  const solvedAnswers = rows.flatMap((c) => (c.satisfactionSolved === null ? [] : [Boolean(c.satisfactionSolved)]));
  const granted = facts.flatMap((f) => (f.compensation ? [f.compensation] : []));
  const byType = (type: "coupon" | "points") => {
    const of = granted.filter((g) => g.type === type);
    return { count: of.length, totalFen: of.reduce((s, g) => s + g.fen, 0), ...(type === "points" ? { points: of.reduce((s, g) => s + g.points, 0) } : {}) };
  };
  const storeIds = [...new Set(rows.map((c) => c.storeId))].sort((a, b) => a - b);
  const repeats = facts.filter((f) => f.repeat).length;
  return {
    total: rows.length,
    byCategory: countBy(Object.fromEntries(Object.entries(CATEGORIES).map(([code, c]) => [code, c.name])), rows.map((c) => c.category)),
    byStore: storeIds.map((storeId) => ({ storeId, name: storeNames.get(storeId) ?? `门店 ${storeId}`, count: rows.filter((c) => c.storeId === storeId).length })),
    bySeverity: countBy(SEVERITIES, rows.map((c) => c.severity)),
    byChannel: countBy(CHANNELS, rows.map((c) => c.channel)),
    responseTimes: {
      firstResponded: firstMs.length,
      medianFirstResponseHours: medianFirst === null ? null : hoursOf(medianFirst),
      resolved: resolutionMs.length,
      medianResolutionHours: medianResolution === null ? null : hoursOf(medianResolution),
    },
    sla: { firstResponse: slaFigures(facts.map((f) => f.firstResponse)), resolution: slaFigures(facts.map((f) => f.resolution)) },
    satisfaction: {
      surveyed: rated.length,
      average: rated.length ? Math.round((rated.reduce((s, r) => s + r, 0) / rated.length) * 100) / 100 : null,
      distribution: [1, 2, 3, 4, 5].map((rating) => ({ rating, count: rated.filter((r) => r === rating).length })),
      solvedAnswered: solvedAnswers.length,
      solved: solvedAnswers.filter(Boolean).length,
      solvedRate: rate(solvedAnswers.filter(Boolean).length, solvedAnswers.length),
    },
    repeat: { count: repeats, rate: rate(repeats, rows.length) },
    compensation: { count: granted.length, totalFen: granted.reduce((s, g) => s + g.fen, 0), coupon: byType("coupon"), points: byType("points") },
  };
}
export type StatsFigures = ReturnType<typeof figuresOf>;

/**
 * The complaints received in the period that the staff member may see (never one about themselves,
 * only their store's when bound to one), optionally of one store: one query of the stats columns.
 */
export async function periodRows(m: EntityManager, staff: StaffPrincipal, q: StatsQuery) {
  if (q.storeId !== undefined) assertStoreScope(staff, q.storeId);
  const period = periodOf(q.period, q.date);
  const qb = whereStaffMaySee(m.createQueryBuilder(Complaint, "c"), staff)
    .select(STATS_COLUMNS.map((col) => `c.${col}`))
    .andWhere("c.receivedAt >= :startsAt AND c.receivedAt < :endsAt", { startsAt: period.startsAt, endsAt: period.endsAt });
  if (q.storeId !== undefined) qb.andWhere("c.storeId = :storeId", { storeId: q.storeId });
  const rows: StatsRow[] = await qb.orderBy("c.receivedAt", "ASC").addOrderBy("c.id", "ASC").getMany();
  const ids = [...new Set(rows.map((c) => c.storeId))];
  const stores = ids.length ? await m.find(Store, { where: { id: In(ids) }, select: { id: true, name: true } }) : [];
  return { period, rows, storeNames: new Map(stores.map((s) => [s.id, s.name])) };
}
export type PeriodRows = Awaited<ReturnType<typeof periodRows>>;

/** The statistics of a week or month as JSON. */
export function statsReport(data: PeriodRows, storeId: number | null, now: Date) {
  const { period } = data;
  return {
    period: { kind: period.kind, key: period.key, label: period.label, from: period.from, to: period.to, startsAt: period.startsAt.toISOString(), endsAt: period.endsAt.toISOString() },
    storeId,
    generatedAt: now.toISOString(),
    ...figuresOf(data.rows, data.storeNames, now),
  };
}
export type StatsReport = ReturnType<typeof statsReport>;
