/** A rate (0–1) as a percentage with one decimal; — when there is none. */
export const percent = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(1)}%`);

export const grid = { left: 48, right: 16, top: 32, bottom: 40 };
export const axisTooltip = { trigger: "axis" as const };
