import { detectKey } from './key-profile';
import { SymbolicPiece } from './symbolic-piece';

/**
 * Maps measured cues of a piece back to the valence/arousal plane with fixed, a-priori weights taken from the
 * cue summaries of Gabrielsson & Lindström (2010) and Juslin & Laukka (2004): valence mostly from mode (major +),
 * then pitch height and tempo; arousal mostly from tempo, then note density and pitch height.
 * Neutral points (100 BPM, mean pitch 62 = D4, 4 pitched onsets per second) are set once, not fitted to our output.
 */
export interface ConformityCues {
  mode: 'major' | 'minor';
  tonic: number;
  tempo: number;
  meanPitch: number;
  onsetsPerSec: number;
  valence: number;
  arousal: number;
}

const clamp = (x: number) => Math.max(-1, Math.min(1, x));

export function estimateEmotion(p: SymbolicPiece): ConformityCues {
  const key = detectKey(p);
  const pitched = p.notes.filter((n) => !n.drum);
  const meanPitch = pitched.reduce((s, n) => s + n.pitch, 0) / Math.max(1, pitched.length);
  const seconds = (p.lengthBeats * 60) / p.tempo;
  const onsetsPerSec = pitched.length / Math.max(1e-9, seconds);
  const modeCue = key.mode === 'major' ? 1 : -1;
  const registerCue = clamp((meanPitch - 62) / 8);
  const tempoCue = clamp((p.tempo - 100) / 30);
  const densityCue = clamp(Math.log2(onsetsPerSec / 4));
  return {
    mode: key.mode,
    tonic: key.tonic,
    tempo: p.tempo,
    meanPitch,
    onsetsPerSec,
    valence: 0.6 * modeCue + 0.25 * registerCue + 0.15 * tempoCue,
    arousal: 0.5 * tempoCue + 0.3 * densityCue + 0.2 * registerCue,
  };
}

/** Whether an estimate lies in the target's quadrant; an axis with |target| < 0.1 has no intended side and always matches. */
export function inTargetQuadrant(target: { valence: number; arousal: number }, est: { valence: number; arousal: number }): boolean {
  const same = (t: number, e: number) => Math.abs(t) < 0.1 || Math.sign(t) === Math.sign(e);
  return same(target.valence, est.valence) && same(target.arousal, est.arousal);
}
