/**
 * Key and chord estimation on the corpora, streaming (causal), as the accompanist runs live: the notes are fed in
 * time order as note-on/off events, and each estimate uses only what was heard up to its moment.
 */
import { ChordListener } from '../../src/ensemble/engine/chord-listener';
import { keyFromPitchClasses, KeyListener } from '../../src/ensemble/engine/key-listener';
import { KeyProfileName } from '../../src/ensemble/engine/key-profiles';
import { EnsembleNote, KeyMode } from '../../src/ensemble/engine/types';
import { mod12 } from '../../src/music/engine/theory';
import { CorpusPiece, majMinLabel, pitchClassesAt, TimedNote } from './corpus';

interface Key {
  tonic: number;
  mode: KeyMode;
}

/** MIREX key score (mir_eval.key.weighted_score): same 1, estimate a fifth above 0.5, relative 0.3, parallel 0.2. */
export function mirexKeyScore(reference: Key, estimate: Key): number {
  const d = mod12(estimate.tonic - reference.tonic);
  if (estimate.mode === reference.mode) return d === 0 ? 1 : d === 7 ? 0.5 : 0;
  if (reference.mode === 'major' && d === 9) return 0.3;
  if (reference.mode === 'minor' && d === 3) return 0.3;
  return d === 0 ? 0.2 : 0;
}

export type KeyRelation = 'correct' | 'fifth' | 'relative' | 'parallel' | 'other';
export function keyRelation(reference: Key, estimate: Key): KeyRelation {
  const s = mirexKeyScore(reference, estimate);
  return s === 1 ? 'correct' : s === 0.5 ? 'fifth' : s === 0.3 ? 'relative' : s === 0.2 ? 'parallel' : 'other';
}

/** The notes as a time-ordered event stream (note-offs before note-ons at the same moment). */
export function eventsOf(notes: readonly TimedNote[]): EnsembleNote[] {
  const events: EnsembleNote[] = [];
  for (const n of notes) {
    const memberId = `track${n.track}`;
    events.push({ type: 'on', pitch: n.pitch, velocity: n.velocity, time: n.start, memberId });
    events.push({ type: 'off', pitch: n.pitch, velocity: 0, time: n.end, memberId });
  }
  return events.sort((a, b) => a.time - b.time || (a.type === b.type ? 0 : a.type === 'off' ? -1 : 1));
}

export interface KeyResult {
  /** MIREX score of the estimate when the piece ends. */
  final: number;
  finalRelation: KeyRelation;
  /** Mean MIREX score of the estimate at every beat from the ninth on. */
  streaming: number;
  /** Whole piece at once, not causal: the same profile on the duration histogram (reference point). */
  global: number;
}

/** Streams one piece's notes through a KeyListener and scores its answers against the piece's key. */
export function evaluateKey(piece: CorpusPiece, notes: readonly TimedNote[], profile: KeyProfileName): KeyResult | undefined {
  if (!piece.key) return undefined;
  const listener = new KeyListener({ profile });
  const events = eventsOf(notes);
  const beatMs = 60_000 / piece.tempo;
  const scores: number[] = [];
  let i = 0;
  for (let t = 8 * beatMs; t <= piece.end; t += beatMs) {
    while (i < events.length && events[i].time <= t) listener.hear(events[i++]);
    const k = listener.estimate(t);
    scores.push(k ? mirexKeyScore(piece.key, k) : 0);
  }
  while (i < events.length) listener.hear(events[i++]);
  const last = listener.estimate(piece.end);
  const hist = new Array<number>(12).fill(0);
  for (const n of notes) hist[mod12(n.pitch)] += n.end - n.start;
  const global = keyFromPitchClasses(hist, profile);
  return {
    final: last ? mirexKeyScore(piece.key, last) : 0,
    finalRelation: last ? keyRelation(piece.key, last) : 'other',
    streaming: scores.length ? scores.reduce((s, x) => s + x, 0) / scores.length : 0,
    global: global ? mirexKeyScore(piece.key, global) : 0,
  };
}

export interface ChordResult {
  /** Frames (one per sixteenth note) with a derivable major/minor ground truth. */
  frames: number;
  /** All frames of the piece. */
  allFrames: number;
  /** Frames whose estimate matches the ground truth's root and major/minor quality. */
  majmin: number;
  /** Frames whose estimate has the right root. */
  root: number;
}

/**
 * Streams `input` through a KeyListener and a ChordListener (the key feeding the chord prior, as in the accompanist)
 * and compares the chord estimate every sixteenth note with the ground truth sounding in `truth` at that moment.
 */
export function evaluateChords(piece: CorpusPiece, input: readonly TimedNote[], truth: readonly TimedNote[], harmonyPrior: boolean): ChordResult {
  const beatMs = 60_000 / piece.tempo;
  const key = new KeyListener();
  const chords = new ChordListener({ harmonyPrior });
  const events = eventsOf(input);
  const result: ChordResult = { frames: 0, allFrames: 0, majmin: 0, root: 0 };
  // Ground truth by frame: a sweep over the truth notes sorted by start.
  const sorted = [...truth].sort((a, b) => a.start - b.start);
  let active: TimedNote[] = [];
  let next = 0;
  let i = 0;
  for (let t = 0; t < piece.end; t += beatMs / 4) {
    while (i < events.length && events[i].time <= t) {
      key.hear(events[i]);
      chords.hear(events[i]);
      i++;
    }
    while (next < sorted.length && sorted[next].start <= t) active.push(sorted[next++]);
    active = active.filter((n) => n.end > t);
    result.allFrames++;
    chords.setKey(key.estimate(t));
    const label = majMinLabel(pitchClassesAt(active, t));
    if (!label) continue;
    const estimate = chords.estimate(t);
    result.frames++;
    if (!estimate) continue;
    if (estimate.root === label.root) {
      result.root++;
      if (estimate.quality === label.quality) result.majmin++;
    }
  }
  return result;
}
