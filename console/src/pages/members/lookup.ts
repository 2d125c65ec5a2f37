import type { MemberQuery } from "../../api/members.js";

/** Reads what was typed or scanned: an 11-digit mobile, a plate (starts with a Chinese character) or a member code. */
export function queryFor(text: string): MemberQuery | string {
  const value = text.trim().toUpperCase().replace(/\s+/g, "");
  if (!value) return "请输入会员码、手机号或车牌";
  if (/^1[3-9]\d{9}$/.test(value)) return { phone: value };
  if (/^[\u4e00-\u9fa5]/.test(value)) return { plate: value };
  // scanners may send the QR payload of the member card with a prefix
  const code = value.replace(/^[A-Z]+:/, "");
  if (/^[0-9A-Z]{6,16}$/.test(code)) return { memberCode: code };
  return "无法识别：请输入 11 位手机号、车牌（如 沪A12345）或 6–16 位会员码";
}
