import { MusicPlan } from './types';

/** A silent window [startBeat, endBeat) in the pitched parts. */
export interface Caesura { startBeat: number; endBeat: number }

/** Beats of music per caesura: about one breath per 64 beats (16 bars of 4/4). */
const BEATS_PER_CAESURA = 64;

/**
 * One-beat general pauses at section boundaries inside the body (B→A' first: the breath before the reprise, then
 * A→B, ...), about one per 64 beats. Drums keep playing through them (their fill leads into the next section).
 */
export function sectionCaesuras(plan: MusicPlan): Caesura[] {
  const beatsPerBar = plan.meter[0] * (4 / plan.meter[1]);
  const boundaries: { beat: number; reprise: boolean }[] = [];
  let bar = 0;
  plan.sections.forEach((s, i) => {
    bar += s.bars;
    const next = plan.sections[i + 1];
    if (s.name !== 'intro' && next && next.name !== 'outro') boundaries.push({ beat: bar * beatsPerBar, reprise: next.name.startsWith('A') });
  });
  const wanted = Math.round((plan.bars * beatsPerBar) / BEATS_PER_CAESURA);
  const chosen = [...boundaries.filter((b) => b.reprise), ...boundaries.filter((b) => !b.reprise)].slice(0, wanted);
  return chosen.map((b) => ({ startBeat: b.beat - 1, endBeat: b.beat })).sort((x, y) => x.startBeat - y.startBeat);
}

/** Removes notes starting inside a caesura and cuts notes that would sound into one. */
export function applyCaesuras<T extends { startBeat: number; beats: number }>(notes: T[], caesuras: readonly Caesura[]): T[] {
  if (caesuras.length === 0) return notes;
  const out: T[] = [];
  for (const n of notes) {
    const hit = caesuras.find((c) => n.startBeat < c.endBeat - 1e-9 && n.startBeat + n.beats > c.startBeat + 1e-9);
    if (!hit) { out.push(n); continue; }
    if (n.startBeat >= hit.startBeat - 1e-9) continue;
    out.push({ ...n, beats: hit.startBeat - n.startBeat });
  }
  return out;
}
