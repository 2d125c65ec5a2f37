import { Converter } from "opencc-js/t2cn";

const fromHongKong = Converter({ from: "hk", to: "cn" });
const fromTaiwan = Converter({ from: "tw", to: "cn" });

/**
 * A message as the bot compares it with its commands: full-width folded to half-width, Traditional to
 * Simplified, spaces collapsed and surrounding punctuation dropped ("积分？" and "積分" are 积分).
 */
export function normalizeCommand(text: string): string {
  const half = text.normalize("NFKC").replace(/\u3000/g, " ");
  const simplified = fromTaiwan(fromHongKong(half));
  return simplified.replace(/\s+/g, " ").replace(/^[\s,.!?，。！？、~～]+|[\s,.!?，。！？、~～]+$/g, "").toUpperCase();
}

/** The number the person picked from a list of `count` options, or null. */
export function pickedNumber(text: string, count: number): number | null {
  const n = /^([0-9]{1,2})$/.exec(normalizeCommand(text))?.[1];
  if (!n) return null;
  const i = Number(n);
  return i >= 1 && i <= count ? i : null;
}
