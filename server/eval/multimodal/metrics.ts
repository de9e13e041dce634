/** Scores the multimodal evaluation reports. */

export interface ClassScores {
  accuracy: number;
  /** Unweighted average recall (the mean of per-class recalls). */
  uar: number;
  macroF1: number;
  perClass: { label: string; recall: number; precision: number; f1: number; support: number }[];
}

export function classScores(gold: readonly string[], predicted: readonly string[], labels: readonly string[]): ClassScores {
  const perClass = labels.map((label) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < gold.length; i++) {
      if (predicted[i] === label && gold[i] === label) tp++;
      else if (predicted[i] === label) fp++;
      else if (gold[i] === label) fn++;
    }
    const recall = tp + fn ? tp / (tp + fn) : 0;
    const precision = tp + fp ? tp / (tp + fp) : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    return { label, recall, precision, f1, support: tp + fn };
  });
  const present = perClass.filter((c) => c.support > 0);
  return {
    accuracy: gold.filter((g, i) => g === predicted[i]).length / gold.length,
    uar: present.reduce((s, c) => s + c.recall, 0) / present.length,
    macroF1: present.reduce((s, c) => s + c.f1, 0) / present.length,
    perClass,
  };
}

export const f3 = (x: number): string => x.toFixed(3);
export const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** Prints a Markdown table. */
export function printTable(header: readonly string[], rows: readonly (readonly (string | number)[])[]): void {
  console.log(`| ${header.join(' | ')} |`);
  console.log(`|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const row of rows) console.log(`| ${row.join(' | ')} |`);
  console.log('');
}
