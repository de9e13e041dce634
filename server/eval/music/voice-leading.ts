import { parallelPerfect } from '../../src/music/engine/voicing';
import { SymbolicPiece } from './symbolic-piece';

/** Four-voice chord states: the pitch each voice holds at every moment some voice changes (null = resting). */
export function voiceStates(piece: SymbolicPiece): (number | null)[][] {
  const byTrack = new Map<number, SymbolicPiece['notes']>();
  for (const n of piece.notes) if (!n.drum) byTrack.set(n.track, [...(byTrack.get(n.track) ?? []), n]);
  const voices = [...byTrack.values()]
    .filter((v) => v.length > 0)
    .sort((a, b) => a.reduce((s, n) => s + n.pitch, 0) / a.length - b.reduce((s, n) => s + n.pitch, 0) / b.length);
  const times = [...new Set(voices.flat().map((n) => n.start))].sort((a, b) => a - b);
  return times.map((t) => voices.map((v) => v.find((n) => n.start <= t + 1e-9 && n.end > t + 1e-9)?.pitch ?? null));
}

/**
 * Parallel fifths/octaves per 100 voice-pair motions (both voices of the pair move between consecutive states),
 * with the same definition the composer enforces (voicing.ts: parallelPerfect).
 */
export function parallelPerfectRate(states: readonly (readonly (number | null)[])[]): number {
  let motions = 0;
  let parallels = 0;
  for (let s = 1; s < states.length; s++) {
    const a = states[s - 1];
    const b = states[s];
    for (let i = 0; i < a.length; i++) {
      for (let j = i + 1; j < a.length; j++) {
        if (a[i] === null || a[j] === null || b[i] === null || b[j] === null) continue;
        if (a[i] === b[i] || a[j] === b[j]) continue;
        motions++;
        if (parallelPerfect(a as number[], b as number[], i, j)) parallels++;
      }
    }
  }
  return motions > 0 ? (100 * parallels) / motions : 0;
}
