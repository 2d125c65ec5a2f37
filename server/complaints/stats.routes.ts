import type { Context } from "koa";
import { staffOf } from "../http/auth.js";
import { ApiRoutes } from "../http/routes.js";
import { attachment, complaintsCsv, complaintsXlsx } from "./export.js";
import { statsQuery, type StatsQuery } from "./stats.schema.js";
import { periodRows, statsReport } from "./stats.service.js";

/** Agents see their store's figures (whereStaffMaySee scopes every row); advisors have none. */
const VIEWERS = ["agent", "manager", "admin"] as const;
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** The period's rows this staff member may see. */
const rowsFor = (ctx: Context, query: StatsQuery) => ctx.deps.db.read((m) => periodRows(m, staffOf(ctx), query));

/** Sets the file's type and name only once it exists, so an error before that still answers the JSON error body. */
function download(ctx: Context, type: string, key: string, ext: string, file: Buffer): Buffer {
  ctx.type = type;
  ctx.set("Content-Disposition", attachment(`投诉统计-${key}.${ext}`, `complaint-stats-${key}.${ext}`));
  return file;
}

/** Weekly and monthly complaint statistics, and their CSV and Excel exports. */
export const complaintStatsRoutes = () =>
  new ApiRoutes("/api/v1/staff", "投诉统计")
    .add<never, StatsQuery>({ method: "get", path: "/complaint-stats", summary: "投诉周报/月报：类别、门店、级别、渠道、时效、满意度、重复投诉与补偿", access: VIEWERS, query: statsQuery }, async (ctx, { query }) =>
      statsReport(await rowsFor(ctx, query), query.storeId ?? null, ctx.deps.clock()),
    )
    .add<never, StatsQuery>({ method: "get", path: "/complaint-stats/export.csv", summary: "导出投诉明细（CSV，UTF-8 带 BOM）", access: VIEWERS, query: statsQuery }, async (ctx, { query }) => {
      const data = await rowsFor(ctx, query);
      return download(ctx, "text/csv; charset=utf-8", data.period.key, "csv", complaintsCsv(data, ctx.deps.clock()));
    })
    .add<never, StatsQuery>({ method: "get", path: "/complaint-stats/export.xlsx", summary: "导出投诉统计（Excel：汇总与明细）", access: VIEWERS, query: statsQuery }, async (ctx, { query }) => {
      const now = ctx.deps.clock();
      const data = await rowsFor(ctx, query);
      return download(ctx, XLSX, data.period.key, "xlsx", await complaintsXlsx(statsReport(data, query.storeId ?? null, now), data, now));
    });
