import { SymbolicPiece } from './symbolic-piece';
import { pearson } from '../../src/core/math/pearson';

/** Krumhansl–Kessler (1982) probe-tone profiles, as used by the Krumhansl–Schmuckler key-finding algorithm. */
const MAJOR_PROFILE = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88];
const MINOR_PROFILE = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17];

/** Best key by correlating the duration-weighted pitch-class histogram with all 24 rotated profiles. */
export function detectKey(p: SymbolicPiece): { tonic: number; mode: 'major' | 'minor'; r: number } {
  const hist = new Array<number>(12).fill(0);
  for (const n of p.notes) if (!n.drum) hist[n.pitch % 12] += n.end - n.start;
  let best = { tonic: 0, mode: 'major' as 'major' | 'minor', r: -Infinity };
  for (let tonic = 0; tonic < 12; tonic++) {
    for (const [mode, profile] of [
      ['major', MAJOR_PROFILE],
      ['minor', MINOR_PROFILE],
    ] as const) {
      const rotated = hist.map((_, pc) => profile[(pc - tonic + 12) % 12]);
      const r = pearson(hist, rotated);
      if (r > best.r) best = { tonic, mode, r };
    }
  }
  return best;
}
