import { phraseLengths } from './harmony';
import { MusicPlan } from './types';

/** A silent window [startBeat, endBeat) in the pitched parts. */
export interface Caesura {
  startBeat: number;
  endBeat: number;
}

/** Beats of music per caesura: about one breath per 64 beats (16 bars of 4/4). */
const BEATS_PER_CAESURA = 64;

/**
 * One-beat general pauses at section boundaries inside the body (B→A' first: the breath before the reprise, then
 * A→B, ..., then period ends inside long sections), about one per 64 beats. Drums keep playing through them (their fill leads into the next section).
 */
export function sectionCaesuras(plan: MusicPlan): Caesura[] {
  const beatsPerBar = plan.meter[0] * (4 / plan.meter[1]);
  const boundaries: { beat: number; priority: number }[] = [];
  let bar = 0;
  plan.sections.forEach((s, i) => {
    const next = plan.sections[i + 1];
    if (s.name !== 'intro' && s.name !== 'outro') {
      // Inside a section, the end of each period (an authentic cadence after two phrases) is a breathing point too.
      let inner = bar;
      phraseLengths(s.bars).forEach((len, k, all) => {
        inner += len;
        if (k % 2 === 1 && k < all.length - 1) boundaries.push({ beat: inner * beatsPerBar, priority: 2 });
      });
    }
    bar += s.bars;
    if (s.name !== 'intro' && next && next.name !== 'outro') boundaries.push({ beat: bar * beatsPerBar, priority: next.name.startsWith('A') ? 0 : 1 });
  });
  const wanted = Math.round((plan.bars * beatsPerBar) / BEATS_PER_CAESURA);
  const chosen = [...boundaries].sort((x, y) => x.priority - y.priority || x.beat - y.beat).slice(0, wanted);
  return chosen.map((b) => ({ startBeat: b.beat - 1, endBeat: b.beat })).sort((x, y) => x.startBeat - y.startBeat);
}

/** Removes notes starting inside a caesura and cuts notes that would sound into one. */
export function applyCaesuras<T extends { startBeat: number; beats: number }>(notes: T[], caesuras: readonly Caesura[]): T[] {
  if (caesuras.length === 0) return notes;
  const out: T[] = [];
  for (const n of notes) {
    const hit = caesuras.find((c) => n.startBeat < c.endBeat - 1e-9 && n.startBeat + n.beats > c.startBeat + 1e-9);
    if (!hit) {
      out.push(n);
      continue;
    }
    if (n.startBeat >= hit.startBeat - 1e-9) continue;
    out.push({ ...n, beats: hit.startBeat - n.startBeat });
  }
  return out;
}
