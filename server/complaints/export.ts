import ExcelJS from "exceljs";
import { csvFile, type Cell } from "../http/export-files.js";
import { formatShanghai } from "../http/time.js";
import { CATEGORIES, CHANNELS, SEVERITIES, STATUSES, type Category } from "./categories.js";
import { factsOf, hoursOf, type PeriodRows, type StageOutcome, type StatsReport } from "./stats.service.js";

/** The detail sheet's columns: no complainant name, phone, plate or content ever leaves in an export. */
const DETAIL_HEADERS = ["编号", "受理时间", "门店", "渠道", "类别", "级别", "状态", "首次响应(小时)", "解决用时(小时)", "首响是否超时", "解决是否超时", "满意度", "是否解决", "补偿金额(元)"];

const FIRST_WORDS: Record<StageOutcome, string> = { met: "否", late: "是", overdue: "是（尚未响应）", open: "未响应" };
const RESOLUTION_WORDS: Record<StageOutcome, string> = { met: "否", late: "是", overdue: "是（尚未解决）", open: "未解决" };

/** One row per complaint of the period, as people read it (Shanghai time, yuan, Chinese words). */
function detailRows(data: PeriodRows, now: Date): Cell[][] {
  return data.rows.map((c) => {
    const f = factsOf(c, now);
    return [
      c.number, formatShanghai(c.receivedAt), data.storeNames.get(c.storeId) ?? `门店 ${c.storeId}`, CHANNELS[c.channel] ?? c.channel,
      CATEGORIES[c.category as Category]?.name ?? c.category, SEVERITIES[c.severity] ?? c.severity, STATUSES[c.status] ?? c.status,
      f.firstResponseMs === null ? null : hoursOf(f.firstResponseMs), f.resolutionMs === null ? null : hoursOf(f.resolutionMs),
      FIRST_WORDS[f.firstResponse], RESOLUTION_WORDS[f.resolution], c.satisfactionRating,
      c.satisfactionSolved === null ? null : c.satisfactionSolved ? "是" : "否", f.compensation ? f.compensation.fen / 100 : null,
    ];
  });
}

const percent = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(1)}%`);
const orDash = (v: number | null) => (v === null ? "—" : v);

/** The summary sheet: one figure a row, grouped under headings. */
function summaryRows(r: StatsReport): Cell[][] {
  const { firstResponse: fr, resolution: rs } = r.sla;
  return [
    ["统计周期", r.period.label], ["起止日期", `${r.period.from} 至 ${r.period.to}`], ["投诉总数", r.total], [],
    ["按类别", "数量"], ...r.byCategory.map((x) => [x.name, x.count]), [],
    ["按门店", "数量"], ...r.byStore.map((x) => [x.name, x.count]), [],
    ["按级别", "数量"], ...r.bySeverity.map((x) => [x.name, x.count]), [],
    ["按渠道", "数量"], ...r.byChannel.map((x) => [x.name, x.count]), [],
    ["处理时效", "数值"],
    ["首次响应用时中位数(小时)", orDash(r.responseTimes.medianFirstResponseHours)], ["解决用时中位数(小时)", orDash(r.responseTimes.medianResolutionHours)],
    ["首次响应按时率", percent(fr.complianceRate)], ["首次响应超时(已响应)", fr.late], ["首次响应超时(尚未响应)", fr.overdue],
    ["解决按时率", percent(rs.complianceRate)], ["解决超时(已解决)", rs.late], ["解决超时(尚未解决)", rs.overdue], [],
    ["满意度", "数值"], ["参与评价数", r.satisfaction.surveyed], ["平均满意度", orDash(r.satisfaction.average)],
    ...r.satisfaction.distribution.map((d) => [`${d.rating} 分`, d.count]), ["问题已解决占比", percent(r.satisfaction.solvedRate)], [],
    ["重复投诉", "数值"], ["重复投诉数", r.repeat.count], ["重复投诉率", percent(r.repeat.rate)], [],
    ["补偿", "数值"], ["补偿次数", r.compensation.count], ["补偿总额(元)", r.compensation.totalFen / 100],
    ["优惠券补偿(次)", r.compensation.coupon.count], ["优惠券补偿(元)", r.compensation.coupon.totalFen / 100],
    ["积分补偿(次)", r.compensation.points.count], ["积分补偿(元)", r.compensation.points.totalFen / 100],
  ];
}

/** The detail rows as CSV that Excel opens as UTF-8: BOM, Chinese headers, CRLF line ends. */
export function complaintsCsv(data: PeriodRows, now: Date): Buffer {
  const yuan = DETAIL_HEADERS.length - 1;
  const rows = detailRows(data, now).map((row) => row.map((v, i) => (i === yuan && typeof v === "number" ? v.toFixed(2) : v)));
  return csvFile([DETAIL_HEADERS, ...rows]);
}

/** A workbook with the figures (汇总) and one row per complaint (明细). */
export async function complaintsXlsx(report: StatsReport, data: PeriodRows, now: Date): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.created = now;
  const summary = book.addWorksheet("汇总");
  summary.columns = [{ width: 28 }, { width: 28 }];
  summary.addRows(summaryRows(report));
  const detail = book.addWorksheet("明细", { views: [{ state: "frozen", ySplit: 1 }] });
  detail.columns = DETAIL_HEADERS.map((header) => ({ header, width: header.length > 4 ? 16 : 12 }));
  detail.getRow(1).font = { bold: true };
  detail.addRows(detailRows(data, now));
  detail.getColumn(DETAIL_HEADERS.length).numFmt = "0.00";
  return Buffer.from(await book.xlsx.writeBuffer());
}

export { attachment } from "../http/export-files.js";
