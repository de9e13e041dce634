/**
 * Grouping accuracy (logparser's evaluator, Zhu et al., ICSE-SEIP 2019): a line is right when the set of lines in its
 * predicted group equals the set of lines in its true group. Groups are keyed by any label (template id or text).
 */
export function groupingAccuracy(truth: readonly string[], predicted: readonly string[]): number {
  if (truth.length !== predicted.length) throw new RangeError(`${truth.length} true labels, ${predicted.length} predicted`);
  const trueSize = new Map<string, number>();
  for (const t of truth) trueSize.set(t, (trueSize.get(t) ?? 0) + 1);
  const groups = new Map<string, number[]>();
  predicted.forEach((p, i) => {
    const g = groups.get(p);
    if (g) g.push(i);
    else groups.set(p, [i]);
  });
  let right = 0;
  for (const lines of groups.values()) {
    const t = truth[lines[0]];
    if (lines.every((i) => truth[i] === t) && trueSize.get(t) === lines.length) right += lines.length;
  }
  return right / truth.length;
}
