import { arrangeAccompaniment } from './accompaniment';
import { BeatNote } from './beat-note';
import { applyCaesuras, sectionCaesuras } from './caesura';
import { drumPart } from './drums';
import { buildProgression } from './harmony';
import { composeMelody } from './melody';
import { perform } from './performance';
import { createRng } from './rng';
import { Composition, CompositionTrack, MusicPlan, NoteEvent } from './types';
import { voiceProgression } from './voicing';

const ARTICULATION_LENGTH = { legato: 1.0, normal: 0.88, staccato: 0.6 } as const;

function checkSeed(seed: number): void {
  if (typeof seed !== 'number' || !Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new RangeError(`seed must be an integer in [0, 4294967295], got ${String(seed)}`);
  }
}

/** Composes a full piece for a plan; the same plan and seed always give the same notes (and MIDI bytes). */
export function compose(plan: MusicPlan, seed: number): Composition {
  checkSeed(seed);
  const rng = createRng(seed);
  const beatsPerBar = plan.meter[0] * (4 / plan.meter[1]);
  const secPerBeat = 60 / plan.tempo;

  const chords = buildProgression(plan, rng.fork('harmony'));
  voiceProgression(chords, plan);
  const caesuras = sectionCaesuras(plan);
  const melody = applyCaesuras(composeMelody(plan, chords, rng.fork('melody')), caesuras);
  const accompaniment = arrangeAccompaniment(plan, chords);
  const harmony = applyCaesuras(accompaniment.harmony, caesuras);
  const bass = applyCaesuras(accompaniment.bass, caesuras);
  const drums = drumPart(plan, rng.fork('drums'));

  const sectionStarts: { beat: number; name: string }[] = [];
  let bar = 0;
  for (const s of plan.sections) {
    sectionStarts.push({ beat: bar * beatsPerBar, name: s.name });
    bar += s.bars;
  }
  const sectionAt = (beat: number) => {
    let name = sectionStarts[0]?.name ?? 'A';
    for (const s of sectionStarts) if (s.beat <= beat + 1e-9) name = s.name;
    return name;
  };

  const tracks: CompositionTrack[] = [];
  const notes: NoteEvent[] = [];
  const melodyNotes: BeatNote[] = melody.map((m) => ({ startBeat: m.startBeat, beats: m.beats, pitch: m.pitch, accent: m.strong ? 6 : 0 }));
  const parts: { role: CompositionTrack['role']; notes: BeatNote[]; velocityOffset: number; length: number; jitter: number }[] = [
    { role: 'melody', notes: melodyNotes, velocityOffset: 0, length: ARTICULATION_LENGTH[plan.articulation], jitter: 0.006 },
    { role: 'harmony', notes: harmony, velocityOffset: -20, length: plan.accompaniment === 'pad' ? 1 : 0.95, jitter: 0.005 },
    { role: 'bass', notes: bass, velocityOffset: -10, length: 0.95, jitter: 0.004 },
    { role: 'drums', notes: drums, velocityOffset: -8, length: 1, jitter: 0.003 },
  ];
  for (const part of parts) {
    const instrument = plan.instruments.find((i) => i.role === part.role);
    if (!instrument || part.notes.length === 0) continue;
    const index = tracks.length;
    const channel = part.role === 'drums' ? 9 : index;
    tracks.push({ index, name: `${part.role}: ${instrument.name}`, role: part.role, channel, program: instrument.program });
    notes.push(
      ...perform(
        part.notes,
        {
          track: index,
          channel,
          program: instrument.program,
          velocity: plan.loudness + part.velocityOffset,
          lengthFactor: part.length,
          jitterSec: part.jitter,
        },
        plan,
        sectionAt,
        rng.fork(`perform-${part.role}`),
      ),
    );
  }
  const durationSec = plan.bars * beatsPerBar * secPerBeat;
  // Nothing may sound past the final barline (humanised releases are clipped to it).
  for (const n of notes) {
    if (n.startSec + n.durationSec > durationSec) n.durationSec = Math.max(0.01, Math.floor((durationSec - n.startSec) * 1e4) / 1e4);
  }
  notes.sort((a, b) => a.startSec - b.startSec || a.track - b.track || a.pitch - b.pitch);
  return { plan, seed, durationSec, tempo: plan.tempo, meter: plan.meter, tracks, notes, chords, melody };
}
