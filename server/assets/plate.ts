const PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼";
const LETTER = "[A-HJ-NP-Z]"; // plates use no I or O
const ALNUM = "[A-HJ-NP-Z0-9]";
const NEV_LETTER = "[A-HJ-K]"; // new-energy plates mark the type with D/F (and A–K since 2021)

const PATTERNS = [
  // 粤B12345, 京A1234学, 粤Z1234港
  new RegExp(`^[${PROVINCES}]${LETTER}${ALNUM}{4}(${ALNUM}|[挂学警港澳])$`),
  // small new-energy car: 沪AD12345, 沪ADA1234
  new RegExp(`^[${PROVINCES}]${LETTER}${NEV_LETTER}${ALNUM}[0-9]{4}$`),
  // large new-energy vehicle: 沪A12345D
  new RegExp(`^[${PROVINCES}]${LETTER}[0-9]{5}${NEV_LETTER}$`),
];

/** Uppercases and removes spaces and the middle dot people type (粤B·12345 → 粤B12345). */
export function normalizePlate(input: string): string {
  return input.replace(/[\s·•.\-]/g, "").toUpperCase();
}

/** True for a mainland plate: regular, coach/police/HK-Macau suffixes, or new-energy (8 characters). */
export function isValidPlate(plate: string): boolean {
  return PATTERNS.some((p) => p.test(plate));
}
