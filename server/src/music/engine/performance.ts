import { BeatNote } from './beat-note';
import { Rng } from './rng';
import { MusicPlan, NoteEvent } from './types';

/** Velocity multiplier of the plan's dynamic shape at position x ∈ [0, 1] of the piece. */
export function dynamicFactor(plan: MusicPlan, x: number, sectionName: string): number {
  switch (plan.dynamicShape) {
    case 'steady':
      return 1;
    case 'arch':
      return 0.85 + 0.25 * Math.sin(Math.PI * x);
    case 'crescendo':
      return 0.82 + 0.3 * x;
    case 'decrescendo':
      return 1.1 - 0.3 * x;
    case 'terraced':
      return sectionName === 'B' || sectionName === "B'" ? 1.1 : sectionName === 'intro' || sectionName === 'outro' ? 0.85 : 1;
  }
}

export interface PartPerformance {
  track: number;
  channel: number;
  program: number;
  /** Base velocity before dynamics and accents. */
  velocity: number;
  /** Sounding length as a fraction of the written length (articulation). */
  lengthFactor: number;
  /** Timing jitter standard deviation in seconds. */
  jitterSec: number;
}

/** Turns beat-grid notes into timed, humanised NoteEvents (seeded jitter in onset and velocity). */
export function perform(notes: readonly BeatNote[], part: PartPerformance, plan: MusicPlan, sectionAt: (beat: number) => string, rng: Rng): NoteEvent[] {
  const secPerBeat = 60 / plan.tempo;
  const totalBeats = plan.bars * plan.meter[0] * (4 / plan.meter[1]);
  return notes.map((n) => {
    const x = n.startBeat / totalBeats;
    const jitter = n.startBeat === 0 ? Math.abs(rng.gauss()) * part.jitterSec : rng.gauss() * part.jitterSec;
    const startSec = Math.max(0, n.startBeat * secPerBeat + jitter);
    const velocity = Math.round((part.velocity + n.accent) * dynamicFactor(plan, x, sectionAt(n.startBeat)) + rng.gauss() * 4);
    const durationSec = Math.max(0.05, n.beats * secPerBeat * part.lengthFactor);
    return {
      track: part.track,
      channel: part.channel,
      program: part.program,
      pitch: n.pitch,
      startSec: Math.round(startSec * 1e4) / 1e4,
      durationSec: Math.round(durationSec * 1e4) / 1e4,
      velocity: Math.max(1, Math.min(127, velocity)),
    };
  });
}
