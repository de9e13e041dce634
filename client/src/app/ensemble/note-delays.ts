/** Notes needed before a percentile is reported (fewer say little about a path's tail). */
export const MIN_NOTE_DELAYS = 20;
/** Shortest time between two reports of a member (ms): an early report waits this long after the previous one. */
export const MIN_REPORT_GAP_MS = 500;

/**
 * The one-way delays (ms) of the live members' notes this member received — arrival on the shared clock minus the
 * note's time — over the most recent `size` notes: what the room's play-out delay has to cover. The member reports
 * their 95th percentile (`member:update { noteDelayMs }`) and sees how many arrived after their play-out time.
 */
export class NoteDelays {
  private readonly delays: Float64Array;
  private held = 0;
  private next = 0;
  /** Notes that arrived after the play-out delay in force had passed (they sounded late), since the start. */
  late = 0;
  private latestLate = false;
  private reportedAt = Number.NEGATIVE_INFINITY;

  constructor(readonly size = 256) {
    this.delays = new Float64Array(size);
  }

  /** A note that arrived `delayMs` after its time, to be sounded `playoutDelayMs` after it (late if it came after). */
  add(delayMs: number, playoutDelayMs: number): void {
    if (!Number.isFinite(delayMs)) return;
    this.delays[this.next] = Math.max(0, delayMs);
    this.next = (this.next + 1) % this.size;
    this.held = Math.min(this.held + 1, this.size);
    this.latestLate = delayMs > playoutDelayMs;
    if (this.latestLate) this.late++;
  }

  /**
   * Whether to report now, between the regular reports: the latest note came late and the recent delays' 95th
   * percentile is past the play-out delay in force (a burst the room's delay does not cover, which would otherwise
   * sound late until the next regular report); at most once every MIN_REPORT_GAP_MS.
   */
  earlyReportDue(playoutDelayMs: number, now: number): boolean {
    if (!this.latestLate || now - this.reportedAt < MIN_REPORT_GAP_MS) return false;
    const p95 = this.p95();
    return p95 !== null && p95 > playoutDelayMs;
  }

  /** The member reported its delays at `now` (ms, the clock `earlyReportDue` is given). */
  reported(now: number): void {
    this.reportedAt = now;
  }

  /** The 95th percentile of the recent delays (ms, rounded to 0.1), or null before MIN_NOTE_DELAYS notes. */
  p95(): number | null {
    if (this.held < MIN_NOTE_DELAYS) return null;
    const sorted = this.delays.slice(0, this.held).sort();
    return Math.round(sorted[Math.min(this.held - 1, Math.ceil(0.95 * this.held) - 1)] * 10) / 10;
  }
}
