import { Rng } from './rng';

/** A one-bar melodic idea: note durations (beats) and scale-step moves between consecutive notes. */
export interface Motif {
  rhythm: number[];
  steps: number[];
}

/** One-beat rhythm cells with their onsets per beat; two-beat cells cover slower densities. */
const ONE_BEAT_CELLS: readonly number[][] = [[1], [0.5, 0.5], [0.75, 0.25], [0.5, 0.25, 0.25], [0.25, 0.25, 0.5]];
const TWO_BEAT_CELLS: readonly number[][] = [[2], [1.5, 0.5], [1, 1]];

function cellWeight(cell: readonly number[], density: number): number {
  const onsetsPerBeat = cell.length / cell.reduce((s, d) => s + d, 0);
  return Math.exp(-3 * Math.abs(onsetsPerBeat - density));
}

/** A bar of durations summing to `beats`, with about `density` onsets per beat. */
export function drawRhythm(rng: Rng, beats: number, density: number): number[] {
  const out: number[] = [];
  let left = beats;
  while (left > 0) {
    const cells = left >= 2 && out.length % 2 === 0 ? [...ONE_BEAT_CELLS, ...TWO_BEAT_CELLS] : ONE_BEAT_CELLS;
    const cell = cells[rng.weighted(cells.map((c) => cellWeight(c, density)))];
    const len = cell.reduce((s, d) => s + d, 0);
    out.push(...cell);
    left -= len;
  }
  return out;
}

/** Step pattern: mostly conjoint motion with an occasional leap, as in singable folk and art-song melodies. */
export function drawSteps(rng: Rng, count: number): number[] {
  const moves = [-2, -1, 1, 2, 0, 3, -3, 4];
  const weights = [0.08, 0.32, 0.32, 0.08, 0.08, 0.05, 0.04, 0.03];
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(moves[rng.weighted(weights)]);
  return out;
}

export function createMotif(rng: Rng, beats: number, density: number): Motif {
  const rhythm = drawRhythm(rng, beats, density);
  return { rhythm, steps: drawSteps(rng, rhythm.length - 1) };
}

/** Melodic inversion: every move mirrored. */
export function invert(m: Motif): Motif {
  return { rhythm: [...m.rhythm], steps: m.steps.map((s) => -s) };
}

/** Rhythmic variation: split the longest note in two, or merge the two shortest neighbours. */
export function varyRhythm(rng: Rng, m: Motif): Motif {
  const rhythm = [...m.rhythm];
  const steps = [...m.steps];
  const longest = rhythm.indexOf(Math.max(...rhythm));
  if (rhythm[longest] >= 1 && (rng.chance(0.6) || rhythm.length < 2)) {
    const half = rhythm[longest] / 2;
    rhythm.splice(longest, 1, half, half);
    steps.splice(longest, 0, rng.pick([1, -1]));
  } else if (rhythm.length >= 2) {
    let best = 0;
    for (let i = 1; i < rhythm.length - 1; i++) if (rhythm[i] + rhythm[i + 1] < rhythm[best] + rhythm[best + 1]) best = i;
    rhythm.splice(best, 2, rhythm[best] + rhythm[best + 1]);
    steps.splice(best, 1);
  }
  return { rhythm, steps };
}

/** Fragmentation: the first half of the motif, stated twice (development by repetition of a cell). */
export function fragment(m: Motif, beats: number): Motif {
  const half = beats / 2;
  const rhythm: number[] = [];
  const steps: number[] = [];
  let t = 0;
  for (let i = 0; i < m.rhythm.length && t + m.rhythm[i] <= half + 1e-9; i++) {
    rhythm.push(m.rhythm[i]);
    if (i > 0) steps.push(m.steps[i - 1]);
    t += m.rhythm[i];
  }
  if (rhythm.length === 0 || Math.abs(t - half) > 1e-9 || !Number.isInteger(beats)) return { rhythm: [...m.rhythm], steps: [...m.steps] };
  const climb = steps.reduce((s, x) => s + x, 0);
  return { rhythm: [...rhythm, ...rhythm], steps: [...steps, climb >= 0 ? 1 : -1, ...steps] };
}
