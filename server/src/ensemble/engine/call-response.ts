/**
 * Call and response, as Magenta's A.I. Duet plays it: a player's phrase comes back as a varied motif. The phrase is
 * read as the music engine's `Motif` (rhythm in beats, moves in scale steps), varied with the engine's own
 * developments (`invert`, `varyRhythm`, `fragment`) or sequenced, and restarted on a tone of the current chord, so the
 * answer is the player's idea transposed to fit the harmony; it closes on a chord tone.
 */
import { nearestIn, stepInScale } from '../../music/engine/melodic-space';
import { fragment, invert, Motif, varyRhythm } from '../../music/engine/motif';
import { Rng } from '../../music/engine/rng';
import { MODE_STEPS, mod12 } from '../../music/engine/theory';
import { KeyMode } from './types';

/** A note of the player's phrase: pitch, onset and release in ms, velocity. */
export interface PhraseNote {
  pitch: number;
  start: number;
  end: number;
  velocity: number;
}

/** A note of the answer, in beats from the answer's first onset. */
export interface AnswerNote {
  startBeat: number;
  beats: number;
  pitch: number;
  velocity: number;
}

export type AnswerVariation = 'sequence' | 'inversion' | 'rhythm' | 'inversion+rhythm' | 'fragment';

export interface Answer {
  variation: AnswerVariation;
  /** The phrase as heard (quantised to sixteenths). */
  call: Motif;
  /** The varied motif that was played. */
  response: Motif;
  notes: AnswerNote[];
}

/** Limits of what is answered (data): the grid, the longest call taken, the answer's register. */
export const CALL_RESPONSE = {
  /** Rhythmic grid of the transcription, beats (a sixteenth note). */
  grid: 0.25,
  /** Notes of the phrase closer than this are one onset (the top note is the melody), ms. */
  chordMs: 50,
  /** At most this many notes and beats of the phrase are answered (A.I. Duet answers short phrases). */
  maxNotes: 16,
  maxBeats: 8,
  /** The answer stays within this many semitones of the call's range, and inside MIDI 36–96. */
  rangeSlack: 7,
  /** Chance of each variation (fragment only when the call has at least four notes). */
  weights: { sequence: 0.3, inversion: 0.25, rhythm: 0.25, 'inversion+rhythm': 0.2, fragment: 0.15 } as Record<AnswerVariation, number>,
  /** Sounding length of each answer note as a share of its written length (the last one is held). */
  articulation: 0.92,
};

/**
 * The scale the answer moves in: the key's scale, each chord tone outside it replacing one neighbouring scale note (G#
 * over E in A minor replaces G, a Neapolitan Db in C minor replaces D). The replaced note is a semitone away and not a
 * chord tone; the tonic and then the dominant are kept when another neighbour can go, and between two candidates the
 * one above is lowered (Bb over C7 replaces B).
 */
export function answerScale(key: { tonic: number; mode: KeyMode }, chordPitchClasses: readonly number[]): number[] {
  const scale = MODE_STEPS[key.mode].map((s) => mod12(key.tonic + s));
  const out = [...scale];
  const rank = (pc: number) => (pc === key.tonic ? 2 : pc === mod12(key.tonic + 7) ? 1 : 0);
  for (const c of chordPitchClasses) {
    if (scale.includes(c)) continue;
    const candidates = [mod12(c + 1), mod12(c - 1)].filter((pc) => out.includes(pc) && !chordPitchClasses.includes(pc));
    if (candidates.length === 0) continue;
    candidates.sort((a, b) => rank(a) - rank(b));
    out[out.indexOf(candidates[0])] = c;
  }
  return out;
}

/** Scale position of every MIDI pitch: the number of scale pitches below it (chromatic pitches sit half a step up). */
function scalePositions(scale: readonly number[]): number[] {
  const pos: number[] = [];
  let count = 0;
  for (let p = 0; p < 128; p++) {
    const inScale = scale.includes(mod12(p));
    pos.push(inScale ? count : count - 0.5);
    if (inScale) count++;
  }
  return pos;
}

/** The phrase as a motif: onsets quantised to sixteenths (chords reduced to their top note), moves in scale steps. */
export function transcribe(phrase: readonly PhraseNote[], beatMs: number, scale: readonly number[]): { motif: Motif; pitches: number[]; velocities: number[] } {
  const sorted = [...phrase].sort((a, b) => a.start - b.start || b.pitch - a.pitch);
  const melody: PhraseNote[] = [];
  for (const n of sorted) {
    const last = melody[melody.length - 1];
    if (last && n.start - last.start < CALL_RESPONSE.chordMs) {
      if (n.pitch > last.pitch) melody[melody.length - 1] = n;
    } else melody.push(n);
  }
  const t0 = melody[0]?.start ?? 0;
  const q = (ms: number) => Math.round(ms / beatMs / CALL_RESPONSE.grid) * CALL_RESPONSE.grid;
  const notes: { at: number; pitch: number; velocity: number; held: number }[] = [];
  for (const n of melody) {
    const at = q(n.start - t0);
    if (at >= CALL_RESPONSE.maxBeats || notes.length >= CALL_RESPONSE.maxNotes) break;
    if (notes.length > 0 && at <= notes[notes.length - 1].at) continue; // two onsets in one sixteenth: keep the first
    notes.push({ at, pitch: n.pitch, velocity: n.velocity, held: Math.max(CALL_RESPONSE.grid, q(n.end - n.start)) });
  }
  const rhythm = notes.map((n, i) => (i + 1 < notes.length ? notes[i + 1].at - n.at : Math.min(2, n.held)));
  const pos = scalePositions(scale);
  const steps = notes.slice(1).map((n, i) => Math.round(pos[n.pitch] - pos[notes[i].pitch]));
  return { motif: { rhythm, steps }, pitches: notes.map((n) => n.pitch), velocities: notes.map((n) => n.velocity) };
}

function chooseVariation(rng: Rng, call: Motif): AnswerVariation {
  const names = Object.keys(CALL_RESPONSE.weights) as AnswerVariation[];
  const weights = names.map((v) => (v === 'fragment' && call.rhythm.length < 4 ? 0 : CALL_RESPONSE.weights[v]));
  return names[rng.weighted(weights)];
}

function vary(rng: Rng, call: Motif, variation: AnswerVariation): Motif {
  switch (variation) {
    case 'sequence':
      return { rhythm: [...call.rhythm], steps: [...call.steps] };
    case 'inversion':
      return invert(call);
    case 'rhythm':
      return varyRhythm(rng, call);
    case 'inversion+rhythm':
      return varyRhythm(rng, invert(call));
    case 'fragment': {
      const beats = call.rhythm.reduce((s, d) => s + d, 0);
      return fragment(call, Math.round(beats));
    }
  }
}

export interface AnswerContext {
  /** One beat, ms. */
  beatMs: number;
  key: { tonic: number; mode: KeyMode };
  /** Pitch classes of the current chord, root first. */
  chord: readonly number[];
  rng: Rng;
}

/** The answer to a phrase: its motif varied, restarted on a chord tone near (but not on) the call's first note. */
export function answerPhrase(phrase: readonly PhraseNote[], ctx: AnswerContext): Answer | undefined {
  if (phrase.length === 0) return undefined;
  const scale = answerScale(ctx.key, ctx.chord);
  const { motif: call, pitches, velocities } = transcribe(phrase, ctx.beatMs, scale);
  if (call.rhythm.length === 0) return undefined;
  const variation = chooseVariation(ctx.rng, call);
  const response = vary(ctx.rng, call, variation);
  const lo = Math.max(36, Math.min(...pitches) - CALL_RESPONSE.rangeSlack);
  const hi = Math.min(96, Math.max(...pitches) + CALL_RESPONSE.rangeSlack);
  // Transposition to fit the chord: the chord tone nearest the call's first note, other than that note itself.
  const first = pitches[0];
  const starts: number[] = [];
  for (let p = Math.max(lo, first - 9); p <= Math.min(hi, first + 9); p++) if (p !== first && ctx.chord.includes(mod12(p))) starts.push(p);
  const nearest = Math.min(...starts.map((p) => Math.abs(p - first)));
  const closest = starts.filter((p) => Math.abs(p - first) === nearest);
  let pitch = closest.length > 0 ? ctx.rng.pick(closest) : first;
  const realised = [pitch];
  for (const s of response.steps) {
    pitch = stepInScale(pitch, s, scale);
    realised.push(pitch);
  }
  // Keep the answer in the call's register: fold outliers by octaves.
  for (let i = 0; i < realised.length; i++) {
    while (realised[i] > hi && realised[i] - 12 >= lo) realised[i] -= 12;
    while (realised[i] < lo && realised[i] + 12 <= hi) realised[i] += 12;
  }
  // Close on a chord tone.
  const lastIndex = realised.length - 1;
  realised[lastIndex] = nearestIn(realised[lastIndex], ctx.chord, lo, hi);
  const meanVelocity = velocities.reduce((s, v) => s + v, 0) / velocities.length;
  const notes: AnswerNote[] = [];
  let at = 0;
  response.rhythm.forEach((beats, i) => {
    const accent = Math.abs(at - Math.round(at)) < 1e-9 ? 4 : 0;
    const velocity = Math.round(Math.max(1, Math.min(127, (velocities[i] ?? meanVelocity) + accent)));
    notes.push({ startBeat: at, beats: i === lastIndex ? beats : beats * CALL_RESPONSE.articulation, pitch: realised[i], velocity });
    at += beats;
  });
  return { variation, call, response, notes };
}
