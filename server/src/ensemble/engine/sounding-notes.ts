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
  /** Per member, the notes held by channel × 128 + pitch (no key strings built on every event). */
  private readonly byMember = new Map<string, Map<number, SoundingNote>>();

  constructor(private readonly maxNoteMs = 8000) {}

  /** Applies an event: 'on' for a new pitched note, 'off' for a release, 'ignored' otherwise. */
  apply(e: EnsembleNote): 'on' | 'off' | 'ignored' {
    if (!isEnsembleNote(e) || (e.channel ?? 0) === DRUM_CHANNEL) return 'ignored';
    const member = e.memberId ?? '';
    const key = (e.channel ?? 0) * 128 + e.pitch;
    let notes = this.byMember.get(member);
    if (isNoteOn(e)) {
      if (!notes) this.byMember.set(member, (notes = new Map<number, SoundingNote>()));
      notes.set(key, { pitch: e.pitch, since: e.time, velocity: e.velocity });
      return 'on';
    }
    return notes?.delete(key) ? 'off' : 'ignored';
  }

  /** Calls `fn` with each note's sounding span inside (from, to], in ms (notes past `maxNoteMs` are cut there). */
  forEachSpan(from: number, to: number, fn: (pitch: number, start: number, end: number) => void): void {
    for (const notes of this.byMember.values()) {
      for (const n of notes.values()) {
        const start = Math.max(from, n.since);
        const end = Math.min(to, n.since + this.maxNoteMs);
        if (end > start) fn(n.pitch, start, end);
      }
    }
  }

  /** Number of notes held at `time` (stuck ones excluded). */
  countAt(time: number): number {
    let n = 0;
    for (const notes of this.byMember.values()) for (const note of notes.values()) if (time - note.since < this.maxNoteMs) n++;
    return n;
  }

  /** Forgets notes that have outlived `maxNoteMs` at `time` (lost note-offs), and members with none, so the maps stay small. */
  prune(time: number): void {
    for (const [member, notes] of this.byMember) {
      for (const [key, n] of notes) if (time - n.since >= this.maxNoteMs) notes.delete(key);
      if (notes.size === 0) this.byMember.delete(member);
    }
  }
}
