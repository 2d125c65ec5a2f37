import type { Context } from "koa";
import { staffOf } from "../http/auth.js";
import { CSV_TYPE, XLSX_TYPE, csvFile, download } from "../http/export-files.js";
import { ApiRoutes } from "../http/routes.js";
import { todayInShanghai } from "../http/time.js";
import { bookingsReport } from "./bookings-report.service.js";
import { pointsReport } from "./points-report.service.js";
import { bookingsSheets, pointsSheets, reportXlsx, tiersSheets, type ReportSheets } from "./reports.export.js";
import { periodQuery, tiersQuery, type PeriodQuery, type TiersQuery } from "./reports.schema.js";
import { tiersReport } from "./tiers-report.service.js";

/** Managers (a store-bound one sees their store) and admins; agents have the complaint statistics only, advisors no reports. */
const VIEWERS = ["manager", "admin"] as const;

/** A report's JSON route and its CSV (first sheet) and xlsx exports, named 预约报表-2026-11.csv and so on. */
function addReport<Q extends PeriodQuery | TiersQuery, R>(
  routes: ApiRoutes,
  spec: { path: string; summary: string; query: typeof periodQuery | typeof tiersQuery; name: string; ascii: string },
  build: (ctx: Context, query: Q) => Promise<R>,
  sheets: (report: R) => ReportSheets,
  keyOf: (report: R) => string,
) {
  const file = async (ctx: Context, query: Q, ext: "csv" | "xlsx") => {
    const report = await build(ctx, query);
    const s = sheets(report);
    const body = ext === "csv" ? csvFile(s.sheets[0].rows) : await reportXlsx(s, ctx.deps.clock());
    const key = keyOf(report);
    return download(ctx, { type: ext === "csv" ? CSV_TYPE : XLSX_TYPE, name: `${spec.name}-${key}.${ext}`, asciiName: `${spec.ascii}-${key}.${ext}`, body });
  };
  return routes
    .add<never, Q>({ method: "get", path: spec.path, summary: spec.summary, access: VIEWERS, query: spec.query }, (ctx, { query }) => build(ctx, query))
    .add<never, Q>({ method: "get", path: `${spec.path}/export.csv`, summary: `导出${spec.name}（CSV，UTF-8 带 BOM）`, access: VIEWERS, query: spec.query }, (ctx, { query }) => file(ctx, query, "csv"))
    .add<never, Q>({ method: "get", path: `${spec.path}/export.xlsx`, summary: `导出${spec.name}（Excel）`, access: VIEWERS, query: spec.query }, (ctx, { query }) => file(ctx, query, "xlsx"));
}

/** 报表: bookings per day and the no-show rate, points issued and spent, members by tier; each with CSV and Excel exports. */
export const reportRoutes = () => {
  const routes = new ApiRoutes("/api/v1/staff/reports", "报表");
  addReport<PeriodQuery, Awaited<ReturnType<typeof bookingsReport>>>(
    routes,
    { path: "/bookings", summary: "预约周报/月报：每日各状态预约数、爽约率、按服务项目", query: periodQuery, name: "预约报表", ascii: "bookings" },
    (ctx, q) => ctx.deps.db.read((m) => bookingsReport(m, staffOf(ctx), q, ctx.deps.clock())),
    bookingsSheets,
    (r) => r.period.key,
  );
  addReport<PeriodQuery, Awaited<ReturnType<typeof pointsReport>>>(
    routes,
    { path: "/points", summary: "积分周报/月报：每日发放（按来源）、消耗、过期与扣回", query: periodQuery, name: "积分报表", ascii: "points" },
    (ctx, q) => ctx.deps.db.read((m) => pointsReport(m, staffOf(ctx), q, ctx.deps.clock())),
    pointsSheets,
    (r) => r.period.key,
  );
  addReport<TiersQuery, Awaited<ReturnType<typeof tiersReport>>>(
    routes,
    { path: "/tiers", summary: "各等级会员数与占比（可选统计周期内新增会员）", query: tiersQuery, name: "会员等级", ascii: "tiers" },
    (ctx, q) => ctx.deps.db.read((m) => tiersReport(m, staffOf(ctx), q, ctx.deps.clock())),
    tiersSheets,
    (r) => r.period?.key ?? todayInShanghai(new Date(r.generatedAt)),
  );
  return routes;
};
