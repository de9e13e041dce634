import { createRng } from './rng';
import { scalePitchClasses, nearestPitchIn, mod12 } from './theory';
import { Composition, CompositionTrack, MusicPlan, NoteEvent } from './types';

/** First simple composer: I–IV–V–I block chords and a scale-wise melody (replaced by the full pipeline). */
export function compose(plan: MusicPlan, seed: number): Composition {
  const rng = createRng(seed);
  const beatsPerBar = plan.meter[0] * (4 / plan.meter[1]);
  const secPerBeat = 60 / plan.tempo;
  const pcs = scalePitchClasses(plan.tonic, plan.mode);
  const tracks: CompositionTrack[] = plan.instruments
    .filter((i) => i.role !== 'drums')
    .map((i, index) => ({ index, name: i.role, role: i.role, channel: index, program: i.program }));
  const notes: NoteEvent[] = [];
  const degrees = [0, 3, 4, 0];
  let pitch = Math.round((plan.melodyRange[0] + plan.melodyRange[1]) / 2);
  for (let bar = 0; bar < plan.bars; bar++) {
    const root = pcs[degrees[bar % 4]];
    const chord = [0, 2, 4].map((k) => pcs[(degrees[bar % 4] + k) % 7]);
    for (const pc of chord) {
      notes.push({ track: 1, channel: 1, program: tracks[1].program, pitch: 48 + mod12(pc - 0), startSec: bar * beatsPerBar * secPerBeat, durationSec: beatsPerBar * secPerBeat, velocity: plan.loudness - 15 });
    }
    notes.push({ track: 2, channel: 2, program: tracks[2].program, pitch: 36 + root, startSec: bar * beatsPerBar * secPerBeat, durationSec: beatsPerBar * secPerBeat, velocity: plan.loudness - 10 });
    for (let b = 0; b < beatsPerBar; b++) {
      pitch = nearestPitchIn(pitch + rng.int(-2, 2), b === 0 ? chord : pcs);
      pitch = Math.min(plan.melodyRange[1], Math.max(plan.melodyRange[0], pitch));
      notes.push({ track: 0, channel: 0, program: tracks[0].program, pitch, startSec: (bar * beatsPerBar + b) * secPerBeat, durationSec: secPerBeat * 0.9, velocity: plan.loudness });
    }
  }
  notes.sort((a, b) => a.startSec - b.startSec || a.track - b.track || a.pitch - b.pitch);
  return { plan, seed, durationSec: plan.bars * beatsPerBar * secPerBeat, tempo: plan.tempo, meter: plan.meter, tracks, notes, chords: [], melody: [] };
}
