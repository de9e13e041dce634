import { SymbolicPiece } from './symbolic-piece';

/** Interval profile of a melody line: shares of steps (1–2 semitones), repeats, leaps over a fifth; mean |interval|. */
export interface MelodyProfile {
  steps: number;
  repeats: number;
  leaps: number;
  meanInterval: number;
}

export const MELODY_PROFILE_NAMES: readonly (keyof MelodyProfile)[] = ['steps', 'repeats', 'leaps', 'meanInterval'];

/**
 * The melody is the first track with pitched notes (our files: the melody part after the conductor track;
 * Nottingham: the tune before its chord track), read as a line of onsets (the highest note at each onset).
 */
export function melodyProfile(p: SymbolicPiece): MelodyProfile | undefined {
  const pitched = p.notes.filter((n) => !n.drum);
  if (pitched.length === 0) return undefined;
  const track = Math.min(...pitched.map((n) => n.track));
  const byOnset = new Map<number, number>();
  for (const n of pitched) if (n.track === track) byOnset.set(n.start, Math.max(byOnset.get(n.start) ?? 0, n.pitch));
  const line = [...byOnset.entries()].sort((a, b) => a[0] - b[0]).map(([, pitch]) => pitch);
  if (line.length < 2) return undefined;
  let steps = 0;
  let repeats = 0;
  let leaps = 0;
  let sum = 0;
  for (let i = 1; i < line.length; i++) {
    const d = Math.abs(line[i] - line[i - 1]);
    sum += d;
    if (d === 0) repeats++;
    else if (d <= 2) steps++;
    else if (d > 7) leaps++;
  }
  const n = line.length - 1;
  return { steps: steps / n, repeats: repeats / n, leaps: leaps / n, meanInterval: sum / n };
}
