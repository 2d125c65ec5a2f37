import type { EntityManager } from "typeorm";
import { insertIgnore } from "../db/sql.js";
import { AppError } from "../http/app-error.js";
import type { StaffPrincipal } from "../http/context.js";
import { complaintForStaff } from "./access.js";
import { CATEGORIES, type Category } from "./categories.js";
import { Complaint, ComplaintCase, ComplaintReport } from "./complaints.entity.js";
import { recordEvent } from "./events.js";
import type { CaseQuery } from "./resolution.schema.js";
import { normalizeText } from "./severity.js";

// mobile numbers (with +86, spaces or dashes, or masked 138****1234), landlines, and any long digit run
const PHONE_LIKE = /(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?[\d*]){8}|0\d{2,3}[\s-]?\d{7,8}|\d{7,}/g;
// 沪A12345, 粤B·D12345 (new-energy plates have six characters after the letter)
const PLATE_LIKE = /[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Za-z][\s·.-]?[A-Za-z0-9]{5,6}/g;
const HONORIFICS = "先生|女士|小姐|师傅|老师|总";
const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A function that strips the complainant from a text: their name (and 张先生-style forms of it), their
 * phone and plate as recorded, then anything that looks like a phone number or a plate. Replacements
 * are never longer than what they replace, so a text still fits its column.
 */
export function anonymiser(c: Pick<Complaint, "complainantName" | "complainantPhone" | "plate">): (text: string) => string {
  const exact: RegExp[] = [];
  const name = c.complainantName.trim();
  if ([...name].length >= 2) exact.push(new RegExp(escapeRegExp(name), "g"));
  if (name) exact.push(new RegExp(`${escapeRegExp([...name][0])}(?:${HONORIFICS})`, "g"));
  const replaceName = (text: string) => exact.reduce((t, re) => t.replace(re, "客户"), text);
  const plates = c.plate && c.plate.length >= 5 ? [c.plate, c.plate.slice(1)].map((p) => new RegExp(escapeRegExp(p), "gi")) : [];
  const phone = c.complainantPhone && c.complainantPhone.length >= 5 ? new RegExp(escapeRegExp(c.complainantPhone), "g") : null;
  return (text) => {
    let out = replaceName(text);
    for (const re of plates) out = out.replace(re, "[车牌]");
    if (phone) out = out.replace(phone, "[电话]");
    return out.replace(PLATE_LIKE, "[车牌]").replace(PHONE_LIKE, "[电话]");
  };
}

function toCaseView(k: ComplaintCase) {
  return {
    id: k.id, category: k.category, categoryName: CATEGORIES[k.category as Category]?.name ?? k.category, title: k.title, summary: k.summary,
    investigation: JSON.parse(k.investigation) as Record<string, string>, resolution: k.resolution, createdAt: k.createdAt.toISOString(),
  };
}

/** A manager adds a resolved or closed complaint to the case library, once, as an anonymised copy. */
export async function addCase(m: EntityManager, staff: StaffPrincipal, id: number, title: string, now: Date) {
  const c = await complaintForStaff(m, staff, id);
  if (c.status !== "resolved" && c.status !== "closed") throw new AppError("COMPLAINT_STATUS_CONFLICT", "只有已解决或已关闭的投诉可以加入案例库", { status: c.status });
  const clean = anonymiser(c);
  const report = await m.findOneBy(ComplaintReport, { complaintId: c.id, kind: "investigation" });
  const investigation = report ? Object.fromEntries(Object.entries(JSON.parse(report.body) as Record<string, string>).map(([k, v]) => [k, clean(String(v))])) : {};
  const added = await insertIgnore(m, "complaint_case", {
    complaintId: c.id, category: c.category, title: clean(title.trim()).slice(0, 100), summary: clean(c.content), investigation: JSON.stringify(investigation),
    resolution: clean(c.resolutionReply ?? "").slice(0, 2000), createdBy: staff.id, createdAt: now,
  });
  if (!added) throw new AppError("CASE_EXISTS", "该投诉已经加入案例库");
  await recordEvent(m, c.id, "case_added", { type: "staff", id: staff.id }, now, { detail: { title } });
  return toCaseView(await m.findOneByOrFail(ComplaintCase, { complaintId: c.id }));
}

/**
 * The case library for every staff member: by category and words of the title or summary (each word
 * as written and in Simplified form). A case about the viewer themself is left out.
 */
export async function listCases(m: EntityManager, staff: StaffPrincipal, q: CaseQuery) {
  const qb = m.createQueryBuilder(ComplaintCase, "k").innerJoin(Complaint, "c", "c.id = k.complaintId").where("(c.accusedStaffId IS NULL OR c.accusedStaffId <> :viewerId)", { viewerId: staff.id });
  if (q.category) qb.andWhere("k.category = :category", { category: q.category });
  const words = (q.q ?? "").split(/\s+/).filter(Boolean).slice(0, 5);
  words.forEach((word, i) => {
    const forms = [...new Set([word, normalizeText(word)])].map((f) => `%${f.replace(/[!%_]/g, "!$&")}%`);
    const ors = forms.flatMap((_, j) => [`k.title LIKE :w${i}_${j} ESCAPE '!'`, `k.summary LIKE :w${i}_${j} ESCAPE '!'`]);
    qb.andWhere(`(${ors.join(" OR ")})`, Object.fromEntries(forms.map((f, j) => [`w${i}_${j}`, f])));
  });
  const [rows, total] = await qb.orderBy("k.id", "DESC").skip((q.page - 1) * q.pageSize).take(q.pageSize).getManyAndCount();
  return { items: rows.map(toCaseView), total, page: q.page, pageSize: q.pageSize };
}
