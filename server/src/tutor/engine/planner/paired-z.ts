/**
 * How surely one model predicts better than another on held-out groups (cards, learners): the groups' paired loss
 * differences (before − after), their mean over its standard error, rounded, within ±99. A refit is taken from
 * MIN_JUDGE_Z (one-sided, 95 %).
 */
export const MIN_JUDGE_Z = 1.645;

export function pairedZ(before: readonly number[], after: readonly number[]): number {
  const n = before.length;
  const diffs = before.map((b, i) => b - after[i]);
  const mean = diffs.reduce((a, d) => a + d, 0) / n;
  const sd = Math.sqrt(diffs.reduce((a, d) => a + (d - mean) ** 2, 0) / Math.max(1, n - 1));
  const z = sd > 0 ? mean / (sd / Math.sqrt(n)) : Math.sign(mean) * 99;
  return Math.round(Math.max(-99, Math.min(99, z)) * 100) / 100;
}
