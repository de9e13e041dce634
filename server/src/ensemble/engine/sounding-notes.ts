import { DRUM_CHANNEL, EnsembleNote, isEnsembleNote, isNoteOn } from './types';

/**
 * The pitched notes currently held by the room's players, told apart by member, channel and pitch. Drum-channel
 * notes and malformed events are ignored; a note whose note-off never arrives stops counting after `maxNoteMs`.
 *
 * Kept in flat parallel arrays in the order the notes started (a room rarely holds more than a few dozen, so a linear
 * search is cheap): every room's listeners update this on every event, and objects or maps per note made them the
 * largest allocator of the relaying process, which then paused for garbage collection more often.
 */
export class SoundingNotes {
  private readonly members: string[] = [];
  /** channel × 128 + pitch. */
  private readonly codes: number[] = [];
  private readonly pitches: number[] = [];
  private readonly starts: number[] = [];
  private count = 0;
  /** No note can outlive `maxNoteMs` before this time (shared ms), so `prune` has nothing to do until then. */
  private pruneFrom = Infinity;

  constructor(private readonly maxNoteMs = 8000) {}

  /** Applies an event: 'on' for a new pitched note (a repeated note-on restarts it), 'off' for a release, 'ignored' otherwise. */
  apply(e: EnsembleNote): 'on' | 'off' | 'ignored' {
    if (!isEnsembleNote(e) || (e.channel ?? 0) === DRUM_CHANNEL) return 'ignored';
    const member = e.memberId ?? '';
    const code = (e.channel ?? 0) * 128 + e.pitch;
    const i = this.indexOf(member, code);
    if (isNoteOn(e)) {
      if (i >= 0) this.remove(i);
      const n = this.count++;
      this.members[n] = member;
      this.codes[n] = code;
      this.pitches[n] = e.pitch;
      this.starts[n] = e.time;
      this.pruneFrom = Math.min(this.pruneFrom, e.time + this.maxNoteMs);
      return 'on';
    }
    if (i < 0) return 'ignored';
    this.remove(i);
    return 'off';
  }

  /**
   * The notes held, indexed 0 … size − 1 for `pitchAt`, `spanStart` and `spanEnd` (a loop over indexes rather than a
   * callback, so that no number is boxed on its way to the listener).
   */
  get size(): number {
    return this.count;
  }

  pitchAt(i: number): number {
    return this.pitches[i];
  }

  /** Where note i's sounding span inside (from, to] starts: it sounded there if `spanEnd(i, to)` is later. */
  spanStart(i: number, from: number): number {
    return Math.max(from, this.starts[i]);
  }

  /** Where note i's sounding span inside (from, to] ends (a note past `maxNoteMs` is cut there). */
  spanEnd(i: number, to: number): number {
    return Math.min(to, this.starts[i] + this.maxNoteMs);
  }

  /** Number of notes held at `time` (stuck ones excluded). */
  countAt(time: number): number {
    let n = 0;
    for (let i = 0; i < this.count; i++) if (time - this.starts[i] < this.maxNoteMs) n++;
    return n;
  }

  /** Forgets notes that have outlived `maxNoteMs` at `time` (lost note-offs), so the arrays stay small. */
  prune(time: number): void {
    if (time < this.pruneFrom) return;
    let kept = 0;
    let pruneFrom = Infinity;
    for (let i = 0; i < this.count; i++) {
      if (time - this.starts[i] >= this.maxNoteMs) continue;
      this.move(i, kept++);
      pruneFrom = Math.min(pruneFrom, this.starts[i] + this.maxNoteMs);
    }
    this.truncate(kept);
    this.pruneFrom = pruneFrom;
  }

  private indexOf(member: string, code: number): number {
    for (let i = 0; i < this.count; i++) if (this.codes[i] === code && this.members[i] === member) return i;
    return -1;
  }

  private remove(index: number): void {
    for (let i = index + 1; i < this.count; i++) this.move(i, i - 1);
    this.truncate(this.count - 1);
  }

  private move(from: number, to: number): void {
    if (from === to) return;
    this.members[to] = this.members[from];
    this.codes[to] = this.codes[from];
    this.pitches[to] = this.pitches[from];
    this.starts[to] = this.starts[from];
  }

  /** Keeps the first `count` notes (the arrays keep their length, so the next notes reuse their slots). */
  private truncate(count: number): void {
    for (let i = count; i < this.count; i++) this.members[i] = '';
    this.count = count;
  }
}
