/**
 * Assessment on synthetic performances with known injected errors, across sounds (formant voice, plucked string,
 * additive piano, reed, and SoundFont instruments rendered by the music engine), rooms (dry, noise, reverb, both),
 * sample rates (8–48 kHz) and WAV encodings (16-bit / float, mono / stereo). Every take goes through the same entry
 * point as the service (`assessWav` on WAV bytes).
 */
import { bundledSoundFontPath } from '../../src/music/engine/audio/soundfont';
import { writeSmf } from '../../src/music/engine/audio/smf-writer';
import { loadSoundBank, synthesizeMidi } from '../../src/music/engine/audio/synthesize';
import { createRng, type Rng } from '../../src/music/engine/rng';
import { assessWav, encodeWavMono, type Assessment } from '../../src/tutor/engine';
import { resample } from '../../src/tutor/engine/audio/resample';
import { composedMelody, INJECTED_ERRORS, planPerformance, type InjectedError, type PlannedPerformance } from './performance/performances';
import { addNoise, addReverb, normalise } from './performance/room';
import { randomVoiceStyle, renderAdditivePiano, renderPluck, renderReed, renderVoice, type PerformedNote } from './performance/sounds';

export const RENDER_RATE = 48000;
const RATES = [8000, 16000, 22050, 44100, 48000];
const ROOMS = ['dry', 'noise', 'reverb', 'noise+reverb'] as const;
type Room = (typeof ROOMS)[number];

export interface SoundSpec {
  name: string;
  range: [number, number];
  continuousPitch: boolean;
  render: (notes: PerformedNote[], rng: Rng) => Promise<Float32Array>;
}

export function soundFontSpec(bank: ReturnType<typeof loadSoundBank>, name: string, program: number, range: [number, number]): SoundSpec {
  return {
    name: `SoundFont ${name}`,
    range,
    continuousPitch: false,
    render: async (notes) => {
      const midi = writeSmf(
        notes.map((n) => ({ pitch: Math.round(n.pitch), startBeat: n.start, beats: n.duration, velocity: Math.round(60 + 60 * n.velocity), program })),
        60,
      );
      const pcm = await synthesizeMidi(bank, midi, { sampleRate: RENDER_RATE, tailSec: 0.6, maxDurationSec: 90, effects: false });
      return pcm.left.map((v, i) => 0.5 * (v + pcm.right[i]));
    },
  };
}

export function soundSet(): SoundSpec[] {
  const bank = loadSoundBank(bundledSoundFontPath());
  return [
    {
      name: 'voice (formant, low)',
      range: [45, 64],
      continuousPitch: true,
      render: (n, r) => Promise.resolve(renderVoice(n, RENDER_RATE, r, randomVoiceStyle(r))),
    },
    {
      name: 'voice (formant, high)',
      range: [57, 77],
      continuousPitch: true,
      render: (n, r) => Promise.resolve(renderVoice(n, RENDER_RATE, r, randomVoiceStyle(r))),
    },
    { name: 'plucked string (Karplus–Strong)', range: [45, 72], continuousPitch: true, render: (n, r) => Promise.resolve(renderPluck(n, RENDER_RATE, r)) },
    { name: 'additive piano', range: [48, 84], continuousPitch: true, render: (n, r) => Promise.resolve(renderAdditivePiano(n, RENDER_RATE, r)) },
    { name: 'reed (odd harmonics)', range: [52, 82], continuousPitch: true, render: (n, r) => Promise.resolve(renderReed(n, RENDER_RATE, r)) },
    soundFontSpec(bank, 'piano', 0, [48, 84]),
    soundFontSpec(bank, 'nylon guitar', 24, [45, 72]),
    soundFontSpec(bank, 'violin', 40, [57, 88]),
    soundFontSpec(bank, 'cello', 42, [38, 62]),
    soundFontSpec(bank, 'trumpet', 56, [55, 79]),
    soundFontSpec(bank, 'alto sax', 65, [49, 75]),
    soundFontSpec(bank, 'flute', 73, [60, 91]),
  ];
}

/**
 * Held-out sounds, measured and never tuned on (added 2026-12-02 after a probe of 38 other sounds): the SoundFont programs
 * where the assessment fell clearly below its targets — a choir and a church organ (slow attacks under the previous
 * note's release), a vibraphone (tremolo, long ring), a harpsichord and a xylophone (fast decays).
 */
export function heldOutSoundSet(): SoundSpec[] {
  const bank = loadSoundBank(bundledSoundFontPath());
  return [
    soundFontSpec(bank, 'choir', 52, [55, 79]),
    soundFontSpec(bank, 'church organ', 19, [48, 79]),
    soundFontSpec(bank, 'vibraphone', 11, [53, 89]),
    soundFontSpec(bank, 'harpsichord', 6, [41, 84]),
    soundFontSpec(bank, 'xylophone', 13, [65, 96]),
  ];
}

/** Error-detection counts. */
export interface Tally {
  tp: number;
  fp: number;
  fn: number;
  injected: number;
  rightCategory: number;
  notes: number;
}

const emptyTally = (): Tally => ({ tp: 0, fp: 0, fn: 0, injected: 0, rightCategory: 0, notes: 0 });

function add(a: Tally, b: Tally): void {
  a.tp += b.tp;
  a.fp += b.fp;
  a.fn += b.fn;
  a.injected += b.injected;
  a.rightCategory += b.rightCategory;
  a.notes += b.notes;
}

/** Scores one assessment against the plan; fills per-error-type tallies too. */
export function tallyOf(plan: PlannedPerformance, result: Assessment, byError: Map<InjectedError, Tally>): Tally {
  const t = emptyTally();
  t.notes = plan.reference.length;
  plan.reference.forEach((_, i) => {
    const injected = plan.injected[i];
    const isError = injected !== undefined && injected !== 'extra';
    const flagged = result.notes[i].verdict !== 'correct';
    if (isError) {
      const e = byError.get(injected) ?? emptyTally();
      e.injected++;
      t.injected++;
      if (flagged) {
        t.tp++;
        e.tp++;
      } else {
        t.fn++;
        e.fn++;
      }
      if (result.notes[i].verdict === plan.expected[i]) {
        t.rightCategory++;
        e.rightCategory++;
      }
      byError.set(injected, e);
    } else if (flagged) t.fp++;
  });
  const claimed = new Set<number>();
  const e = byError.get('extra') ?? emptyTally();
  for (const x of plan.extras) {
    t.injected++;
    e.injected++;
    const k = result.extra.findIndex((y, j) => !claimed.has(j) && Math.abs(y.start - x.start) <= 0.25 && Math.abs(y.pitch - x.pitch) <= 1);
    if (k >= 0) {
      claimed.add(k);
      t.tp++;
      e.tp++;
      t.rightCategory++;
      e.rightCategory++;
    } else {
      t.fn++;
      e.fn++;
    }
  }
  byError.set('extra', e);
  t.fp += result.extra.length - claimed.size;
  return t;
}

export interface AssessmentEvaluation {
  total: Tally;
  bySound: Map<string, Tally>;
  byRoom: Map<Room, Tally>;
  byRate: Map<number, Tally>;
  byError: Map<InjectedError, Tally>;
  takes: number;
  audioSec: number;
  assessMs: number;
}

/** Renders `perSound` takes per sound (cycling rooms, rates and encodings) and scores the verdicts. */
export async function evaluateAssessment(perSound: number, seed = 2024): Promise<AssessmentEvaluation> {
  return evaluateSounds(soundSet(), perSound, seed);
}

/** `evaluateAssessment` over any list of sounds (the held-out sounds, probes). */
export async function evaluateSounds(sounds: SoundSpec[], perSound: number, seed = 2024): Promise<AssessmentEvaluation> {
  const out: AssessmentEvaluation = {
    total: emptyTally(),
    bySound: new Map(),
    byRoom: new Map(),
    byRate: new Map(),
    byError: new Map(),
    takes: 0,
    audioSec: 0,
    assessMs: 0,
  };
  for (const [s, sound] of sounds.entries()) {
    for (let k = 0; k < perSound; k++) {
      const rng = createRng(seed).fork(`${sound.name}/${k}`);
      const reference = composedMelody(rng.fork('melody'), sound.range[0], sound.range[1], rng.int(12, 16));
      const plan = planPerformance(reference, rng.fork('errors'), 0.3, sound.continuousPitch);
      let audio = await sound.render(plan.performed, rng.fork('sound'));
      const room = ROOMS[(k + s) % ROOMS.length];
      if (room.includes('reverb')) audio = addReverb(audio, RENDER_RATE, 0.3 + 0.6 * rng.next(), 2 + 8 * rng.next(), rng.fork('room'));
      if (room.includes('noise')) audio = addNoise(audio, 15 + 15 * rng.next(), rng.chance(0.5) ? 'pink' : 'white', rng.fork('noise'));
      const rate = RATES[(k + 2 * s) % RATES.length];
      const samples = normalise(rate === RENDER_RATE ? audio : resample(audio, RENDER_RATE, rate), 0.3 + 0.6 * rng.next());
      const wav = encodeWavMono({ sampleRate: rate, samples }, k % 2 === 0 ? 'pcm16' : 'float32', k % 3 === 0 ? 2 : 1);
      const started = performance.now();
      const result = assessWav(wav, reference);
      out.assessMs += performance.now() - started;
      out.audioSec += samples.length / rate;
      out.takes++;
      const t = tallyOf(plan, result, out.byError);
      add(out.total, t);
      for (const [map, key] of [
        [out.bySound, sound.name],
        [out.byRoom, room],
        [out.byRate, rate],
      ] as [Map<string | number, Tally>, string | number][]) {
        const agg = map.get(key) ?? emptyTally();
        add(agg, t);
        map.set(key, agg);
      }
    }
  }
  return out;
}

export const precision = (t: Tally) => (t.tp + t.fp ? t.tp / (t.tp + t.fp) : 1);
export const recall = (t: Tally) => (t.tp + t.fn ? t.tp / (t.tp + t.fn) : 1);
export const categoryAccuracy = (t: Tally) => (t.injected ? t.rightCategory / t.injected : 1);
export { INJECTED_ERRORS };
