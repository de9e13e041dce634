/**
 * Synthetic performances with known errors. A reference melody (the music engine's composer, first 12–16 melody notes,
 * moved into the sound's range) is performed with natural variation (onset jitter σ 20 ms, intonation σ 10 cents for
 * continuous-pitch sounds, a lead-in and a tempo drift of up to ±3%), and about a third of the notes carry one injected
 * error each: wrong pitch by ±1, ±2 or ±12 semitones, onset shifted 150–300 ms early or late, omitted, or an extra note
 * inserted. Errors never touch neighbouring notes, so every expected verdict is unambiguous.
 */
import { compose, EMOTION_NAMES, planFromEmotion } from '../../../src/music/engine';
import { EMOTION_TABLE } from '../../../src/music/engine/emotion-table';
import type { Rng } from '../../../src/music/engine/rng';
import type { NoteVerdictKind, ReferenceNote } from '../../../src/tutor/engine';
import type { PerformedNote } from './sounds';

export type InjectedError = 'wrong-1' | 'wrong-2' | 'wrong-12' | 'early' | 'late' | 'missed' | 'extra';
export const INJECTED_ERRORS: InjectedError[] = ['wrong-1', 'wrong-2', 'wrong-12', 'early', 'late', 'missed', 'extra'];

export interface PlannedPerformance {
  reference: ReferenceNote[];
  performed: PerformedNote[];
  /** Expected verdict per reference note. */
  expected: NoteVerdictKind[];
  /** Injected error per reference note (undefined = none); an `extra` sits after its note. */
  injected: (InjectedError | undefined)[];
  /** Expected extra notes (reference time line). */
  extras: { pitch: number; start: number }[];
}

/** A melody from the music engine: the first `count` melody notes after the intro, in seconds, moved into [lo, hi]. */
export function composedMelody(rng: Rng, lo: number, hi: number, count: number): ReferenceNote[] {
  const emotion = rng.pick(EMOTION_NAMES);
  const anchor = EMOTION_TABLE.find((a) => a.emotion === emotion)!;
  const plan = planFromEmotion({ valence: anchor.valence, arousal: anchor.arousal, label: emotion }, 40, { tempo: rng.int(66, 132) });
  const composition = compose(plan, rng.int(0, 2 ** 31));
  const beat = 60 / composition.tempo;
  const melody = composition.melody.filter((n) => n.beats * beat >= 0.16);
  const first = melody.findIndex((n) => n.startBeat >= plan.sections[0].bars * plan.meter[0]);
  const slice = melody.slice(Math.max(0, first), Math.max(0, first) + count);
  const t0 = slice[0].startBeat;
  let notes = slice.map((n) => ({ pitch: n.pitch, start: (n.startBeat - t0) * beat, duration: Math.min(n.beats * beat, 1.6) }));
  const pitches = notes.map((n) => n.pitch);
  const centre = (Math.min(...pitches) + Math.max(...pitches)) / 2;
  const shift = Math.round((lo + hi) / 2 - centre);
  notes = notes.map((n) => ({ ...n, pitch: Math.max(lo, Math.min(hi, n.pitch + shift)) }));
  return notes;
}

/** Plans a performance of `reference` with injected errors (`errorRate` of the notes, never two neighbours). */
export function planPerformance(reference: ReferenceNote[], rng: Rng, errorRate: number, continuousPitch: boolean): PlannedPerformance {
  const n = reference.length;
  const injected: (InjectedError | undefined)[] = new Array<InjectedError | undefined>(n).fill(undefined);
  const candidates = rng.next() < 0.5 ? [...Array(n).keys()] : [...Array(n).keys()].reverse();
  for (const i of candidates) {
    if (i === 0 || i === n - 1) continue; // first and last notes anchor the alignment in this test set
    if (injected[i - 1] || injected[i + 1] || !rng.chance(errorRate * 1.6)) continue;
    const r = reference[i];
    const prevGap = r.start - reference[i - 1].start;
    const nextGap = reference[i + 1].start - r.start;
    const options = INJECTED_ERRORS.filter((e) => {
      if (e === 'early') return prevGap >= 0.45;
      if (e === 'late') return r.duration >= 0.42 && nextGap >= 0.45;
      if (e === 'extra') return r.duration >= 0.5;
      return true;
    });
    injected[i] = rng.pick(options);
  }

  const lead = 0.3 + 1.2 * rng.next();
  const ratio = 0.97 + 0.06 * rng.next();
  const time = (t: number) => lead + ratio * t;
  const performed: PerformedNote[] = [];
  const expected: NoteVerdictKind[] = [];
  const extras: { pitch: number; start: number }[] = [];
  const tune = () => (continuousPitch ? Math.max(-0.25, Math.min(0.25, 0.1 * rng.gauss())) : 0);
  const jitter = () => Math.max(-0.05, Math.min(0.05, 0.02 * rng.gauss()));
  reference.forEach((r, i) => {
    const error = injected[i];
    const velocity = 0.6 + 0.4 * rng.next();
    let start = time(r.start) + jitter();
    let end = time(r.start + r.duration) - 0.02;
    let pitch = r.pitch + tune();
    let verdict: NoteVerdictKind = 'correct';
    switch (error) {
      case 'wrong-1':
      case 'wrong-2':
      case 'wrong-12': {
        const size = Number(error.split('-')[1]);
        const sign = r.pitch + size > 96 ? -1 : r.pitch - size < 28 ? 1 : rng.chance(0.5) ? 1 : -1;
        pitch = r.pitch + sign * size + tune();
        verdict = 'wrong-pitch';
        break;
      }
      case 'early': {
        const shift = 0.15 + 0.15 * rng.next();
        start = time(r.start) - shift * ratio;
        verdict = 'early';
        // The previous note gives way.
        const prev = performed.at(-1);
        if (prev) prev.duration = Math.min(prev.duration, start - prev.start - 0.02);
        break;
      }
      case 'late': {
        start = time(r.start) + (0.15 + 0.15 * rng.next()) * ratio;
        verdict = 'late';
        break;
      }
      case 'missed':
        expected.push('missed');
        return;
      case 'extra': {
        // The note is played short, then a different note fills the rest of its time.
        const split = time(r.start + r.duration / 2);
        const extraPitch = r.pitch + (rng.chance(0.5) ? 1 : -1) * rng.int(3, 7);
        performed.push({ pitch, start, duration: split - start - 0.02, velocity });
        performed.push({ pitch: extraPitch + tune(), start: split, duration: end - split, velocity });
        extras.push({ pitch: extraPitch, start: r.start + r.duration / 2 });
        expected.push('correct');
        return;
      }
      default:
        break;
    }
    end = Math.max(end, start + 0.1);
    performed.push({ pitch, start, duration: end - start, velocity });
    expected.push(verdict);
  });
  return { reference, performed, expected, injected, extras };
}
