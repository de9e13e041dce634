import { compose, parseMidi, planFromEmotion, toMidi } from '..';
import { splitMidiByNotes } from './note-split';
import { writeSmf } from './smf-writer';

const noteKey = (n: { channel: number; pitch: number; startTick: number; endTick: number; velocity: number; program: number }) =>
  `${n.channel}:${n.pitch}:${n.startTick}-${n.endTick}:${n.velocity}:${n.program}`;
const notesOf = (midi: Uint8Array) => parseMidi(midi).tracks.flatMap((t) => t.notes.map(noteKey));

describe('splitMidiByNotes', () => {
  it('deals every note of a composed piece to exactly one half, keeping programs, tempo and track ends', () => {
    const midi = toMidi(compose(planFromEmotion({ valence: 0.7, arousal: 0.9, label: 'excited' }, 20), 11));
    const halves = splitMidiByNotes(midi)!;
    expect(halves).toHaveLength(2);
    const original = notesOf(midi).sort();
    const union = [...notesOf(halves[0]), ...notesOf(halves[1])].sort();
    expect(union).toEqual(original);
    expect(notesOf(halves[0]).length).toBeGreaterThan(original.length / 4);
    expect(notesOf(halves[1]).length).toBeGreaterThan(original.length / 4);
    for (const half of halves) {
      const parsed = parseMidi(half);
      expect(parsed.tempos).toEqual(parseMidi(midi).tempos);
      expect(parsed.tracks.every((t) => t.endOfTrack)).toBe(true);
    }
  });

  it('splits a single sustained channel evenly (a pad alone still uses both workers)', () => {
    const pad = writeSmf(Array.from({ length: 8 }, (_, i) => ({ pitch: 60 + (i % 3), startBeat: i * 2, beats: 2, program: 89 })));
    const [a, b] = splitMidiByNotes(pad)!;
    expect(notesOf(a)).toHaveLength(4);
    expect(notesOf(b)).toHaveLength(4);
  });

  it('keeps a note-off with its note-on when the same pitch repeats', () => {
    const repeated = writeSmf([
      { pitch: 64, startBeat: 0, beats: 1 },
      { pitch: 64, startBeat: 1, beats: 3 },
      { pitch: 64, startBeat: 4, beats: 1 },
    ]);
    const [a, b] = splitMidiByNotes(repeated)!;
    expect([...notesOf(a), ...notesOf(b)].sort()).toEqual(notesOf(repeated).sort());
  });

  it('declines bytes that are not MIDI, and pieces with fewer than two notes', () => {
    expect(splitMidiByNotes(new Uint8Array([1, 2, 3]))).toBeUndefined();
    expect(splitMidiByNotes(writeSmf([{ pitch: 60, startBeat: 0, beats: 1 }]))).toBeUndefined();
  });
});
