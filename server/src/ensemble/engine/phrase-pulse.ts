import { Timeline } from './shared-clock';

/** How a phrase's own rhythm is read (data): what counts as one onset, and when a missing onset ends the phrase. */
export const PHRASE_PULSE = {
  /** Onsets closer than this are one (a chord, or several players striking together), ms. */
  chordMs: 50,
  /** The pulse is the median of this many latest inter-onset intervals. */
  window: 8,
  /** The phrase has ended when this many pulses pass after its last onset with none… */
  pulses: 2,
  /** …plus this share of a pulse for human timing (one skipped pulse, a rest, is not an end). */
  tolerance: 0.25,
  /** The onsets' phase on the sixteenth grid is used when they agree on it (resultant length of their phases). */
  minPhaseAgreement: 0.5,
};

/**
 * The rhythm of the phrase being played: its onsets (players striking together count once), its pulse (the median
 * inter-onset interval) and the phase of its onsets on the sixteenth grid. Call and response uses it to know sooner
 * that a fast phrase has ended (the pulse stopped) and to start the answer in the call's time.
 */
export class PhrasePulse {
  /** Mean times of the latest onset clusters (at most window + 1). */
  private readonly onsets: number[] = [];
  private readonly intervals: number[] = [];
  private longest = 0;
  private clusterStart = -Infinity;
  private clusterSum = 0;
  private clusterCount = 0;

  /** An onset of the phrase (shared ms). */
  hear(time: number): void {
    if (time - this.clusterStart < PHRASE_PULSE.chordMs) {
      this.clusterSum += time;
      this.clusterCount += 1;
      this.onsets[this.onsets.length - 1] = this.clusterSum / this.clusterCount;
      return;
    }
    // Intervals run between cluster starts (a cluster's mean moves with late strikes, its start does not).
    if (this.onsets.length > 0) {
      const interval = time - this.clusterStart;
      this.intervals.push(interval);
      if (this.intervals.length > PHRASE_PULSE.window) this.intervals.shift();
      this.longest = Math.max(this.longest, interval);
    }
    this.clusterStart = time;
    this.clusterSum = time;
    this.clusterCount = 1;
    this.onsets.push(time);
    if (this.onsets.length > PHRASE_PULSE.window + 1) this.onsets.shift();
  }

  reset(): void {
    this.onsets.length = 0;
    this.intervals.length = 0;
    this.longest = 0;
    this.clusterStart = -Infinity;
  }

  /**
   * When the phrase counts as ended if nothing more is played: its pulse stopped (two pulses and a bit without an
   * onset, and never before a rest as long as the longest one it already had). Undefined before three onsets, or when
   * its last note was held longer than a pulse (the pulse is not running; the caller's plain silence rule applies).
   */
  endTime(lastRelease: number): number | undefined {
    if (this.intervals.length < 2) return undefined;
    const pulse = median(this.intervals);
    const last = this.onsets[this.onsets.length - 1];
    if (lastRelease - last > pulse) return undefined;
    return last + Math.max(PHRASE_PULSE.pulses * pulse, this.longest) + PHRASE_PULSE.tolerance * pulse;
  }

  /** Phase (0–1 of a sixteenth) of the phrase's onsets on `grid`'s sixteenths; undefined when they do not agree on one. */
  sixteenthPhase(grid: Timeline): number | undefined {
    if (this.onsets.length < 2) return undefined;
    let c = 0;
    let s = 0;
    for (const t of this.onsets) {
      const angle = 2 * Math.PI * grid.beatAt(t) * 4;
      c += Math.cos(angle);
      s += Math.sin(angle);
    }
    if (Math.hypot(c, s) / this.onsets.length < PHRASE_PULSE.minPhaseAgreement) return undefined;
    const phase = Math.atan2(s, c) / (2 * Math.PI);
    return phase < 0 ? phase + 1 : phase;
  }
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
