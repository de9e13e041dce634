import { DRUM_CHANNEL, EnsembleNote, isEnsembleNote, isNoteOn } from './types';

/** A note that is sounding: its pitch, since when (shared ms) and how hard it was struck. */
export interface SoundingNote {
  pitch: number;
  since: number;
  velocity: number;
}

/**
 * The pitched notes currently held by the room's players, told apart by member, channel and pitch. Drum-channel
 * notes and malformed events are ignored; a note whose note-off never arrives stops counting after `maxNoteMs`.
 */
export class SoundingNotes {
  private readonly notes = new Map<string, SoundingNote>();

  constructor(private readonly maxNoteMs = 8000) {}

  /** Applies an event: 'on' for a new pitched note, 'off' for a release, 'ignored' otherwise. */
  apply(e: EnsembleNote): 'on' | 'off' | 'ignored' {
    if (!isEnsembleNote(e) || (e.channel ?? 0) === DRUM_CHANNEL) return 'ignored';
    const key = `${e.memberId ?? ''}|${e.channel ?? 0}|${e.pitch}`;
    if (isNoteOn(e)) {
      this.notes.set(key, { pitch: e.pitch, since: e.time, velocity: e.velocity });
      return 'on';
    }
    return this.notes.delete(key) ? 'off' : 'ignored';
  }

  /** Calls `fn` with each note's sounding span inside (from, to], in ms (notes past `maxNoteMs` are cut there). */
  forEachSpan(from: number, to: number, fn: (pitch: number, start: number, end: number) => void): void {
    for (const n of this.notes.values()) {
      const start = Math.max(from, n.since);
      const end = Math.min(to, n.since + this.maxNoteMs);
      if (end > start) fn(n.pitch, start, end);
    }
  }

  /** Number of notes held at `time` (stuck ones excluded). */
  countAt(time: number): number {
    let n = 0;
    for (const note of this.notes.values()) if (time - note.since < this.maxNoteMs) n++;
    return n;
  }

  /** Forgets notes that have outlived `maxNoteMs` at `time` (lost note-offs), so the map stays small. */
  prune(time: number): void {
    for (const [key, n] of this.notes) if (time - n.since >= this.maxNoteMs) this.notes.delete(key);
  }
}
