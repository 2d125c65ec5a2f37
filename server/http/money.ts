/** fen → "¥680.50" for Chinese messages; amounts stay in fen everywhere else. */
export const formatYuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
