import ExcelJS from "exceljs";
import type { Cell } from "../http/export-files.js";
import type { BookingsReport } from "./bookings-report.service.js";
import { FLOWS, type PointsReport } from "./points-report.service.js";
import type { TiersReport } from "./tiers-report.service.js";

/** A report as sheets of rows (the first row of each its headers): the CSV is the first sheet, the workbook all of them. */
export interface ReportSheets {
  sheets: { name: string; rows: Cell[][] }[];
}

const percent = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(1)}%`);

export function bookingsSheets(r: BookingsReport): ReportSheets {
  const headers = ["日期", ...r.statuses.map((s) => s.name), "合计", "应到店", "爽约率"];
  const line = (label: string, f: Pick<BookingsReport, "counts" | "total" | "due" | "noShowRate">): Cell[] => [label, ...r.statuses.map((s) => f.counts[s.code]), f.total, f.due, percent(f.noShowRate)];
  return {
    sheets: [
      { name: "每日预约", rows: [headers, ...r.days.map((d) => line(d.date, d)), line("合计", r)] },
      { name: "按服务项目", rows: [["服务项目", "预约数"], ...r.byService.map((s) => [s.name, s.count])] },
      { name: "说明", rows: [["统计周期", r.period.label], ["起止日期", `${r.period.from} 至 ${r.period.to}`], ["爽约率", "未到店 ÷ 应到店；应到店 = 已到店（含施工中、待取车、已完成）+ 未到店，不含取消和尚未登记到店的预约"], ["按服务项目", "一个预约含多个项目时每个项目各计一次"]] },
    ],
  };
}

export function pointsSheets(r: PointsReport): ReportSheets {
  const flows = Object.entries(FLOWS) as [keyof typeof FLOWS, string][];
  const headers = ["日期", ...flows.map(([, name]) => `${name}积分`), "净增", ...r.bySource.map((s) => s.name)];
  const line = (label: string, f: PointsReport["days"][number]): Cell[] => [label, ...flows.map(([flow]) => f[flow]), f.net, ...r.bySource.map((s) => f.bySource[s.code])];
  return {
    sheets: [
      { name: "每日积分", rows: [headers, ...r.days.map((d) => line(d.date, d)), ["合计", ...flows.map(([flow]) => r[flow]), r.net, ...r.bySource.map((s) => s.points)]] },
      { name: "按来源", rows: [["来源", "类型", "积分", "笔数"], ...r.bySource.map((s) => [s.name, FLOWS[s.flow], s.points, s.entries])] },
      { name: "说明", rows: [["统计周期", r.period.label], ["起止日期", `${r.period.from} 至 ${r.period.to}`], ["门店", "按会员的所属门店统计"]] },
    ],
  };
}

export function tiersSheets(r: TiersReport): ReportSheets {
  const withNew = r.period !== null;
  return {
    sheets: [
      {
        name: "会员等级",
        rows: [
          ["等级", "会员数", "占比", ...(withNew ? [`${r.period!.label}新增`] : [])],
          ...r.tiers.map((t) => [t.name, t.count, percent(t.share), ...(withNew ? [t.newMembers] : [])]),
          ["合计", r.total, r.total ? "100.0%" : "—", ...(withNew ? [r.newMembers] : [])],
        ],
      },
    ],
  };
}

/** The workbook: one worksheet a sheet, bold frozen headers. */
export async function reportXlsx(report: ReportSheets, now: Date): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.created = now;
  for (const sheet of report.sheets) {
    const ws = book.addWorksheet(sheet.name, { views: [{ state: "frozen", ySplit: 1 }] });
    ws.addRows(sheet.rows);
    ws.getRow(1).font = { bold: true };
    ws.columns.forEach((c, i) => (c.width = i === 0 ? 16 : 12));
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}
