import type { Context } from "koa";

/** One spreadsheet cell: text, a number, or empty. */
export type Cell = string | number | null;

export const CSV_TYPE = "text/csv; charset=utf-8";
export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading = + - @ is defused so Excel never runs it as a formula. */
export function csvField(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") return String(value);
  const text = /^[=+\-@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows (the first one the headers) as CSV that Excel opens as UTF-8: BOM, CRLF line ends. */
export function csvFile(rows: Cell[][]): Buffer {
  const lines = rows.map((row) => row.map(csvField).join(","));
  return Buffer.from(`\uFEFF${lines.join("\r\n")}\r\n`, "utf8");
}

/** Content-Disposition for a download with a Chinese name (RFC 6266 / RFC 5987), with an ASCII fallback. */
export function attachment(name: string, asciiName: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/** Sets the file's type and name only once it exists, so an error before that still answers the JSON error body. */
export function download(ctx: Context, file: { type: string; name: string; asciiName: string; body: Buffer }): Buffer {
  ctx.type = file.type;
  ctx.set("Content-Disposition", attachment(file.name, file.asciiName));
  return file.body;
}
