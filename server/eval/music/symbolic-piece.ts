import { parseMidi, ParsedMidi } from '../../src/music/engine/midi-read';

/** A piece reduced to what the metrics need: notes in quarter-note beats, bar length, tempo. */
export interface SymbolicNote {
  pitch: number;
  start: number;
  end: number;
  drum: boolean;
  velocity: number;
  track: number;
}
export interface SymbolicPiece {
  notes: SymbolicNote[];
  /** Quarter-note beats per bar (first time signature). */
  beatsPerBar: number;
  /** Quarter-note BPM (first tempo event, 120 if none). */
  tempo: number;
  lengthBeats: number;
}

export function fromParsedMidi(midi: ParsedMidi): SymbolicPiece {
  const ts = midi.timeSignatures[0];
  const beatsPerBar = ts ? (ts.numerator * 4) / ts.denominator : 4;
  const tempo = midi.tempos[0] ? 60_000_000 / midi.tempos[0].usPerQuarter : 120;
  const notes: SymbolicNote[] = midi.tracks
    .flatMap((t) => t.notes)
    .map((n) => ({
      pitch: n.pitch,
      start: n.startTick / midi.ppq,
      end: Math.max(n.endTick, n.startTick + 1) / midi.ppq,
      drum: n.channel === 9,
      velocity: n.velocity,
      track: n.track,
    }));
  const lengthBeats = notes.reduce((m, n) => Math.max(m, n.end), 0);
  return { notes, beatsPerBar, tempo, lengthBeats };
}

export function fromMidiBytes(bytes: Uint8Array): SymbolicPiece {
  return fromParsedMidi(parseMidi(bytes));
}
