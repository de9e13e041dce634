/**
 * Voice-speakers section: how a speaker's first recording is read as the speaker-independent model learns from more
 * speakers. Leaving one speaker out measures a model trained on six of emodb-dev's seven speakers, while the shipped
 * model learned from all seven; this curve (three to six training speakers, every subset with both genders, the
 * shipped recipe and penalty) shows the trend between, and an inverse law fitted to it estimates the seventh
 * speaker's gain, with an interval from resampling the held-out speakers. An estimate, not a measurement: no eighth
 * speaker is here to measure it on.
 */
import shippedVoice from '../../src/multimodal/engine/models/voice.json';
import { createRng } from '../../src/music/engine/rng';
import { EMODB_DIR, loadEmoDb } from './datasets';
import { pct, printTable } from './metrics';
import { extractExamples, independentLogProbabilities, predictedLabel, SPEED_PERTURBATIONS, trainIndependentModel } from './voice-training';

const BOOTSTRAP_DRAWS = 2000;

/** Every k-element subset of `items`, in order. */
export function subsetsOf<T>(items: readonly T[], k: number): T[][] {
  if (k === 0) return [[]];
  if (items.length < k) return [];
  const [first, ...rest] = items;
  return [...subsetsOf(rest, k - 1).map((s) => [first, ...s]), ...subsetsOf(rest, k)];
}

/** Least-squares fit of accuracy = a − b / k; returns the fitted curve. */
export function fitInverseLaw(points: readonly { k: number; accuracy: number }[]): (k: number) => number {
  const xs = points.map((p) => 1 / p.k);
  const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
  const my = points.reduce((s, p) => s + p.accuracy, 0) / points.length;
  const sxy = points.reduce((s, p, i) => s + (xs[i] - mx) * (p.accuracy - my), 0);
  const sxx = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
  const slope = sxy / sxx;
  return (k) => my + slope * (1 / k - mx);
}

export default async function voiceSpeakersSection(): Promise<void> {
  console.log('## Voice: a first recording against the number of training speakers (emodb-dev)\n');
  const clips = loadEmoDb();
  if (!clips) {
    console.log(`SKIPPED: ${EMODB_DIR} not found (set MULTIMODAL_DATASETS_DIR).\n`);
    return;
  }
  const l2 = shippedVoice.metrics.l2;
  const examples = extractExamples(clips, SPEED_PERTURBATIONS);
  const speakers = [...new Set(clips.map((c) => c.speaker))].sort();
  const gender = new Map(clips.map((c) => [c.speaker, c.gender]));
  const clipsOf = new Map(speakers.map((s) => [s, examples.filter((e) => e.clip.speaker === s && e.speed === 1)]));

  // accuracy[k][speaker]: the held-out speaker's accuracy, averaged over every training subset of size k
  const ks = Array.from({ length: speakers.length - 3 }, (_, i) => i + 3);
  const accuracy = new Map<number, Map<string, number>>();
  const subsetCounts = new Map<number, number>();
  for (const k of ks) {
    const bySpeaker = new Map<string, number>();
    let count = 0;
    for (const held of speakers) {
      const test = clipsOf.get(held)!;
      const subsets = subsetsOf(
        speakers.filter((s) => s !== held),
        k,
      ).filter((set) => new Set(set.map((s) => gender.get(s))).size === 2);
      let correct = 0;
      for (const set of subsets) {
        const model = trainIndependentModel(
          examples.filter((e) => set.includes(e.clip.speaker)),
          l2,
        );
        correct += test.filter((e) => predictedLabel(independentLogProbabilities(model, e)) === e.label).length;
      }
      bySpeaker.set(held, correct / (subsets.length * test.length));
      count += subsets.length;
    }
    accuracy.set(k, bySpeaker);
    subsetCounts.set(k, count);
  }

  const curve = (sample: readonly string[]) => {
    const clipsIn = sample.reduce((s, speaker) => s + clipsOf.get(speaker)!.length, 0);
    return ks.map((k) => ({
      k,
      accuracy: sample.reduce((s, speaker) => s + accuracy.get(k)!.get(speaker)! * clipsOf.get(speaker)!.length, 0) / clipsIn,
    }));
  };
  const measured = curve(speakers);
  const law = fitInverseLaw(measured);
  const last = measured[measured.length - 1];
  const next = speakers.length;
  // the measured figure at six speakers plus the law's gain for a seventh
  const estimate = (points: readonly { k: number; accuracy: number }[]) => {
    const fitted = fitInverseLaw(points);
    return points[points.length - 1].accuracy + fitted(next) - fitted(points[points.length - 1].k);
  };
  const rng = createRng(2005);
  const draws = Array.from({ length: BOOTSTRAP_DRAWS }, () => estimate(curve(Array.from({ length: speakers.length }, () => rng.pick(speakers))))).sort(
    (a, b) => a - b,
  );
  const quantile = (q: number) => draws[Math.min(draws.length - 1, Math.floor(q * draws.length))];

  printTable(
    ['training speakers', 'models', 'accuracy', 'gain', 'inverse law', ...speakers],
    measured.map((p, i) => [
      p.k,
      subsetCounts.get(p.k)!,
      pct(p.accuracy),
      i ? `${(100 * (p.accuracy - measured[i - 1].accuracy)).toFixed(1)}` : '',
      pct(law(p.k)),
      ...speakers.map((s) => pct(accuracy.get(p.k)!.get(s)!)),
    ]),
  );
  console.log(
    `Penalty ${l2} (the shipped model's), clips and speed perturbations as trained, every subset of the other speakers with both genders; ` +
      `a held-out speaker's accuracy is the mean over the subsets, the row's the clip-weighted mean over the held-out speakers.\n`,
  );
  console.log(
    `Estimate for the shipped model (${next} training speakers) on a new speaker: ${pct(estimate(measured))} ` +
      `(${pct(last.accuracy)} measured at ${last.k}, plus the inverse law's gain ${(100 * (law(next) - law(last.k))).toFixed(1)} points; ` +
      `90% interval ${pct(quantile(0.05))}–${pct(quantile(0.95))} over ${BOOTSTRAP_DRAWS} resamplings of the held-out speakers). ` +
      'An extrapolation, not a measurement.\n',
  );
  return Promise.resolve();
}
