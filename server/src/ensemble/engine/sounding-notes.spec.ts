import { SoundingNotes } from './sounding-notes';
import { EnsembleNote } from './types';

const on = (pitch: number, time: number, memberId = 'a', channel = 0): EnsembleNote => ({ type: 'on', pitch, velocity: 90, time, channel, memberId });
const off = (pitch: number, time: number, memberId = 'a', channel = 0): EnsembleNote => ({ type: 'off', pitch, velocity: 0, time, channel, memberId });

/** The held notes' spans inside (from, to] as [pitch, start, end] triples, in the order the notes started. */
function spans(notes: SoundingNotes, from: number, to: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < notes.size; i++) {
    const start = notes.spanStart(i, from);
    const end = notes.spanEnd(i, to);
    if (end > start) out.push([notes.pitchAt(i), start, end]);
  }
  return out;
}

describe('SoundingNotes', () => {
  it('holds a note from its note-on to its note-off, per member and channel', () => {
    const notes = new SoundingNotes();
    expect(notes.apply(on(60, 0))).toBe('on');
    expect(notes.apply(on(60, 10, 'b'))).toBe('on');
    expect(notes.apply(on(60, 20, 'a', 1))).toBe('on');
    expect(spans(notes, 0, 100)).toEqual([
      [60, 0, 100],
      [60, 10, 100],
      [60, 20, 100],
    ]);
    expect(notes.apply(off(60, 50, 'b'))).toBe('off');
    expect(notes.apply(off(60, 60, 'b'))).toBe('ignored');
    expect(spans(notes, 50, 100).map(([, start]) => start)).toEqual([50, 50]);
    expect(notes.countAt(100)).toBe(2);
  });

  it('restarts a note struck again before its release, and ignores drums and malformed events', () => {
    const notes = new SoundingNotes();
    notes.apply(on(60, 0));
    notes.apply(on(64, 5));
    expect(notes.apply(on(60, 40))).toBe('on');
    expect(spans(notes, 0, 100)).toEqual([
      [64, 5, 100],
      [60, 40, 100],
    ]);
    expect(notes.apply(on(38, 50, 'a', 9))).toBe('ignored');
    expect(notes.apply({ type: 'on', pitch: 200, velocity: 90, time: 50 })).toBe('ignored');
    expect(notes.size).toBe(2);
  });

  it('cuts and then forgets a note whose note-off never came, keeping the others', () => {
    const notes = new SoundingNotes(1000);
    notes.apply(on(60, 0));
    notes.apply(on(67, 600));
    expect(spans(notes, 500, 1500)).toEqual([
      [60, 500, 1000],
      [67, 600, 1500],
    ]);
    expect(notes.countAt(1200)).toBe(1);
    notes.prune(999);
    expect(notes.size).toBe(2);
    notes.prune(1000);
    expect(notes.size).toBe(1);
    expect(notes.pitchAt(0)).toBe(67);
    expect(notes.apply(off(60, 1100))).toBe('ignored');
    notes.apply(on(72, 1200));
    notes.prune(1600);
    expect(spans(notes, 1600, 1700).map(([pitch]) => pitch)).toEqual([72]);
  });
});
