/**
 * The online beat tracker on the Nottingham melodies, each played at a random tempo (70–160 BPM at the notated beat)
 * with human timing jitter (σ 10 ms), so the tracker's tempo prior cannot simply match the files' fixed 120 BPM.
 *
 * Ground-truth beats come from the time signatures: a quarter note in x/4 and x/2, a dotted quarter in compound
 * meters (6/8, 9/8, 12/8), an eighth in other x/8. The tracker's output is causal: between two onsets, the beats it
 * predicts are those of the timeline it held after the first of them.
 */
import { BeatTracker } from '../../src/ensemble/engine/beat-tracker';
import { createRng } from '../../src/music/engine/rng';
import { CorpusPiece } from './corpus';

export interface BeatResult {
  /** Tempo of the notated beat, BPM, as played. */
  trueTempo: number;
  /** Tracker tempo at the end, BPM (undefined: never locked). */
  tempo?: number;
  /** Within 4% of the true tempo. */
  acc1: boolean;
  /** Within 4% of the true tempo or of 2, 3, 1/2 or 1/3 times it (another metrical level). */
  acc2: boolean;
  /** F-measure of the predicted beats against the notated beats (±70 ms), after the first 5 s. */
  fMeasure: number;
  /** Time from the first note to lock, ms. */
  lockMs?: number;
}

function beatUnitQuarters(numerator: number, denominator: number): number {
  if (denominator === 8) return numerator % 3 === 0 && numerator > 3 ? 1.5 : 0.5;
  return 4 / denominator;
}

/** Plays one tune's melody into a BeatTracker at a random tempo and scores it. */
export function evaluateBeats(piece: CorpusPiece, seed: number): BeatResult | undefined {
  const rng = createRng(seed);
  const melody = piece.notes.filter((n) => n.track === piece.melodyTrack);
  if (melody.length < 16) return undefined;
  const meter = piece.meters[0] ?? { time: 0, numerator: 4, denominator: 4 };
  const unit = beatUnitQuarters(meter.numerator, meter.denominator);
  const fileBeatMs = (60_000 / piece.tempo) * unit;
  const trueTempo = 70 + rng.next() * 90;
  const scale = 60_000 / trueTempo / fileBeatMs;
  // Ground-truth beats across time-signature changes (file time, then scaled).
  const truth: number[] = [];
  const meters = piece.meters.length ? piece.meters : [meter];
  const end = piece.end;
  meters.forEach((m, i) => {
    const until = meters[i + 1]?.time ?? end;
    const step = (60_000 / piece.tempo) * beatUnitQuarters(m.numerator, m.denominator);
    for (let t = m.time; t < until - 1e-6; t += step) truth.push(t * scale);
  });
  const onsets = [...new Set(melody.map((n) => n.start))].sort((a, b) => a - b).map((t) => t * scale + rng.gauss() * 10);
  onsets.sort((a, b) => a - b);
  const tracker = new BeatTracker();
  const predicted: number[] = [];
  let lockMs: number | undefined;
  onsets.forEach((t, i) => {
    tracker.hear({ type: 'on', pitch: 60, velocity: 80, time: t });
    const tl = tracker.timeline();
    if (!tl) return;
    lockMs ??= t - onsets[0];
    const until = onsets[i + 1] ?? end * scale;
    for (const b of tl.beatsBetween(t, until)) predicted.push(b.time);
  });
  const from = onsets[0] + 5000;
  const ref = truth.filter((t) => t >= from && t <= onsets[onsets.length - 1]);
  const est = predicted.filter((t) => t >= from && t <= onsets[onsets.length - 1]);
  let hits = 0;
  const used = new Set<number>();
  for (const r of ref) {
    let best = -1;
    for (let k = 0; k < est.length; k++)
      if (!used.has(k) && Math.abs(est[k] - r) <= 70 && (best < 0 || Math.abs(est[k] - r) < Math.abs(est[best] - r))) best = k;
    if (best >= 0) {
      used.add(best);
      hits++;
    }
  }
  const precision = est.length ? hits / est.length : 0;
  const recall = ref.length ? hits / ref.length : 0;
  const tempo = tracker.tempo;
  const near = (x: number, y: number) => Math.abs(x / y - 1) <= 0.04;
  return {
    trueTempo,
    tempo,
    acc1: tempo !== undefined && near(tempo, trueTempo),
    acc2: tempo !== undefined && [1, 2, 3, 1 / 2, 1 / 3].some((k) => near(tempo, trueTempo * k)),
    fMeasure: precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0,
    lockMs,
  };
}
