// The server's plate rule (server/assets/plate.ts), mirrored for instant feedback while typing; the server still decides.
const PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
const LETTER = "[A-HJ-NP-Z]"; // plates use no I or O
const ALNUM = "[A-HJ-NP-Z0-9]";
const NEV_LETTER = "[A-HJ-K]";

const PATTERNS = [
  new RegExp(`^[${PROVINCES}]${LETTER}${ALNUM}{4}(${ALNUM}|[挂学警港澳])$`), // 粤B12345, 京A1234学
  new RegExp(`^[${PROVINCES}]${LETTER}${NEV_LETTER}${ALNUM}[0-9]{4}$`), // small new-energy: 沪AD12345
  new RegExp(`^[${PROVINCES}]${LETTER}[0-9]{5}${NEV_LETTER}$`), // large new-energy: 沪A12345D
];

/** Uppercases and drops spaces and the middle dot people type (粤B·12345 → 粤B12345), as the server does. */
export function normalizePlate(input: string): string {
  return input.replace(/[\s·•.\-]/g, "").toUpperCase();
}

export function isValidPlate(plate: string): boolean {
  return PATTERNS.some((p) => p.test(plate));
}

/** What to tell the member about what they typed so far ("" when it is a valid plate or still empty). */
export function plateProblem(input: string): string {
  const plate = normalizePlate(input);
  if (!plate || isValidPlate(plate)) return "";
  if (!PROVINCES.includes(plate[0])) return "车牌应以省份简称开头，例如 沪A12345";
  return "车牌号格式不正确，例如 粤B12345 或新能源 沪AD12345";
}
