/**
 * The room's shared clock, written once for the server gateway and the browser client alike: this file imports
 * nothing and touches no Node or DOM API (times are passed in, in milliseconds), so either side can use it as is.
 *
 * - `ClockOffsetEstimator`: a client's offset to the server clock from ping/pong samples (t0 client send,
 *   serverTime, t1 client receive), as NTP and Ableton Link do: each sample's offset is taken at the round trip's
 *   midpoint, samples with a long round trip are dropped (their midpoint is the least certain), and the median of
 *   the rest over a sliding window is the estimate, re-estimated on every sample. Two quartz clocks drift apart by
 *   tens of parts per million (a millisecond in half a minute), so when the window spans long enough the rate
 *   difference is estimated too (Theil–Sen slope of the kept midpoints) and every midpoint is carried forward to now.
 * - `Timeline`: Link's tempo/beat/phase model. A tempo in BPM, a quantum in beats (the bar), and one anchor
 *   (the beat at a shared-clock time) define the beat and phase at any time; tempo changes re-anchor at the time
 *   of the change, so the beat (and the phase) is continuous across them.
 */

/** One ping/pong exchange: client clock at send and at receipt, server clock when it answered (all ms). */
export interface ClockSample {
  t0: number;
  serverTime: number;
  t1: number;
}

export interface ClockOffsetOptions {
  /** Samples kept in the sliding window (default 32). */
  windowSize?: number;
  /**
   * Share of the window, lowest round trips first, whose midpoints vote (default 0.25). A round trip stretched by a
   * busy event loop at either end is stretched on one leg, so its midpoint is off by up to half the stretch: only the
   * quickest exchanges are trusted (on a loaded machine the lowest half still held samples a few ms off).
   */
  keepFraction?: number;
  /** Samples with a longer round trip are rejected outright, ms (default: none). */
  maxRttMs?: number;
  /** Estimate the clocks' rate difference once the kept samples span this long, ms (default 10 000; Infinity = never). */
  driftAfterMs?: number;
}

export interface ClockOffsetEstimate {
  /** serverTime − clientTime, ms: add it to a client time to get shared-clock time. */
  offsetMs: number;
  /** Median round trip of the window, ms (what a room shows as a member's latency). */
  rttMs: number;
  /** Shortest round trip of the window, ms. */
  minRttMs: number;
  /**
   * How much longer than the median the slow round trips of the window take (90th percentile − median, ms): the
   * jitter a play-out delay must cover so that late messages still sound in time.
   */
  jitterMs: number;
  /** Half the shortest round trip, ms: a bound on the error of a midpoint when the path may be asymmetric. */
  uncertaintyMs: number;
  /** Samples in the window. */
  samples: number;
  /** Server clock rate minus client clock rate, parts per million (0 until the window spans `driftAfterMs`). */
  driftPpm: number;
  /** Client time (ms) at which `offsetMs` holds; the offset at another time adds the drift over the difference. */
  atClientTime: number;
}

interface TimedOffset {
  /** Client time of the round trip's midpoint, ms. */
  at: number;
  rtt: number;
  offset: number;
}

/** Largest rate difference believed to be drift rather than noise, ppm (quartz is within ±100). */
const MAX_DRIFT_PPM = 500;

function median(sorted: readonly number[]): number {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/** Estimates a client's offset to the server clock from ping/pong samples (median of low-round-trip midpoints). */
export class ClockOffsetEstimator {
  private readonly windowSize: number;
  private readonly keepFraction: number;
  private readonly maxRttMs: number;
  private readonly driftAfterMs: number;
  private readonly window: TimedOffset[] = [];
  private current: ClockOffsetEstimate | undefined;

  constructor(options: ClockOffsetOptions = {}) {
    this.windowSize = options.windowSize ?? 32;
    this.keepFraction = options.keepFraction ?? 0.25;
    this.maxRttMs = options.maxRttMs ?? Infinity;
    this.driftAfterMs = options.driftAfterMs ?? 10_000;
    if (!Number.isInteger(this.windowSize) || this.windowSize < 1) throw new RangeError(`windowSize must be a positive integer, got ${this.windowSize}`);
    if (!(this.keepFraction > 0 && this.keepFraction <= 1)) throw new RangeError(`keepFraction must be in (0, 1], got ${this.keepFraction}`);
    if (!(this.maxRttMs > 0)) throw new RangeError(`maxRttMs must be positive, got ${this.maxRttMs}`);
  }

  /** Adds one exchange and re-estimates; false when the sample is malformed (t1 < t0, not finite) or too slow. */
  addSample(sample: ClockSample): boolean {
    const { t0, serverTime, t1 } = sample;
    if (![t0, serverTime, t1].every(Number.isFinite) || t1 < t0) return false;
    const rtt = t1 - t0;
    if (rtt > this.maxRttMs) return false;
    this.window.push({ at: (t0 + t1) / 2, rtt, offset: serverTime - (t0 + t1) / 2 });
    if (this.window.length > this.windowSize) this.window.shift();
    this.current = this.compute();
    return true;
  }

  /** The current estimate, undefined before the first accepted sample. */
  get estimate(): ClockOffsetEstimate | undefined {
    return this.current;
  }

  /** Offset (ms) at a client time, carried from the last estimate by the measured drift. */
  offsetAt(clientTime: number): number {
    const e = this.current;
    return e ? e.offsetMs + (clientTime - e.atClientTime) * e.driftPpm * 1e-6 : 0;
  }

  /** Shared-clock (server) time for a client time, ms; the client time itself before any sample. */
  toServerTime(clientTime: number): number {
    return clientTime + this.offsetAt(clientTime);
  }

  /** Client time for a shared-clock (server) time, ms. */
  toClientTime(serverTime: number): number {
    return serverTime - this.offsetAt(serverTime - (this.current?.offsetMs ?? 0));
  }

  /** Forgets every sample (after a reconnect to another server, whose clock differs). */
  reset(): void {
    this.window.length = 0;
    this.current = undefined;
  }

  private compute(): ClockOffsetEstimate {
    // Equal round trips: the newer sample first.
    const byRtt = [...this.window].sort((a, b) => a.rtt - b.rtt || b.at - a.at);
    const kept = byRtt.slice(0, Math.max(1, Math.ceil(byRtt.length * this.keepFraction)));
    const now = this.window[this.window.length - 1].at;
    const drift = this.drift(kept);
    const offsets = kept.map((s) => s.offset + drift * (now - s.at)).sort((a, b) => a - b);
    const rtts = byRtt.map((s) => s.rtt);
    return {
      offsetMs: median(offsets),
      rttMs: median(rtts),
      minRttMs: rtts[0],
      jitterMs: rtts[Math.ceil(0.9 * (rtts.length - 1))] - median(rtts),
      uncertaintyMs: rtts[0] / 2,
      samples: this.window.length,
      driftPpm: drift * 1e6,
      atClientTime: now,
    };
  }

  /** Theil–Sen slope of offset over time (ms per ms) of the kept samples; 0 while they span less than driftAfterMs. */
  private drift(kept: readonly TimedOffset[]): number {
    if (kept.length < 4) return 0;
    let first = Infinity;
    let last = -Infinity;
    for (const s of kept) {
      first = Math.min(first, s.at);
      last = Math.max(last, s.at);
    }
    if (last - first < this.driftAfterMs) return 0;
    const slopes: number[] = [];
    for (let i = 0; i < kept.length; i++) {
      for (let j = i + 1; j < kept.length; j++) {
        const dt = kept[j].at - kept[i].at;
        // Pairs close in time say little about the rate and much about jitter.
        if (Math.abs(dt) >= this.driftAfterMs / 4) slopes.push((kept[j].offset - kept[i].offset) / dt);
      }
    }
    if (slopes.length === 0) return 0;
    slopes.sort((a, b) => a - b);
    // A rate on whose sign the middle half of the pairs disagree is jitter, not drift: carrying it forward would add
    // error (tens of ppm of noise over a minute's window is a millisecond or more), so the clocks are taken as equal.
    const q1 = slopes[Math.floor((slopes.length - 1) / 4)];
    const q3 = slopes[Math.ceil((3 * (slopes.length - 1)) / 4)];
    if (q1 <= 0 && q3 >= 0) return 0;
    const slope = median(slopes);
    return Math.max(-MAX_DRIFT_PPM * 1e-6, Math.min(MAX_DRIFT_PPM * 1e-6, slope));
  }
}

/** Tempo limits of a timeline, BPM (Ableton Link's range). */
export const MIN_TIMELINE_TEMPO = 20;
export const MAX_TIMELINE_TEMPO = 999;

/** A timeline as data (for `room:state`): `beat` is the beat at shared-clock `time` (ms). */
export interface TimelineState {
  /** Beats per minute. */
  tempo: number;
  /** Beats per bar (the phase wraps at this many beats). */
  quantum: number;
  beat: number;
  /** Shared-clock ms. */
  time: number;
}

/** One beat of the grid between two times. */
export interface TimelineBeat {
  /** Integer beat number. */
  beat: number;
  /** Shared-clock ms. */
  time: number;
  /** Whether it starts a bar (phase 0). */
  downbeat: boolean;
}

function checkTempo(tempo: number): void {
  if (typeof tempo !== 'number' || !(tempo >= MIN_TIMELINE_TEMPO && tempo <= MAX_TIMELINE_TEMPO)) {
    throw new RangeError(`tempo must be between ${MIN_TIMELINE_TEMPO} and ${MAX_TIMELINE_TEMPO} BPM, got ${String(tempo)}`);
  }
}

const mod = (x: number, m: number) => ((x % m) + m) % m;

/** Link-like tempo/beat/phase on the shared clock; immutable (changes return a new timeline). */
export class Timeline {
  private constructor(
    /** Beats per minute. */
    readonly tempo: number,
    /** Beats per bar. */
    readonly quantum: number,
    private readonly anchorBeat: number,
    private readonly anchorTime: number,
  ) {}

  /** A timeline whose beat 0 falls at `startTime` (shared ms); tempo 20–999 BPM, quantum > 0 beats. */
  static create(tempo: number, quantum = 4, startTime = 0): Timeline {
    return Timeline.fromState({ tempo, quantum, beat: 0, time: startTime });
  }

  /** Rebuilds a timeline from its data; throws RangeError on a bad tempo, quantum or anchor. */
  static fromState(state: TimelineState): Timeline {
    checkTempo(state.tempo);
    if (typeof state.quantum !== 'number' || !(state.quantum > 0 && state.quantum <= 64))
      throw new RangeError(`quantum must be in (0, 64], got ${String(state.quantum)}`);
    if (!Number.isFinite(state.beat) || !Number.isFinite(state.time)) throw new RangeError('timeline anchor (beat, time) must be finite');
    return new Timeline(state.tempo, state.quantum, state.beat, state.time);
  }

  /** Length of one beat, ms. */
  get beatMs(): number {
    return 60_000 / this.tempo;
  }

  /** Beat (fractional) at a shared-clock time in ms. */
  beatAt(time: number): number {
    return this.anchorBeat + ((time - this.anchorTime) * this.tempo) / 60_000;
  }

  /** Shared-clock time (ms) of a beat. */
  timeAtBeat(beat: number): number {
    return this.anchorTime + ((beat - this.anchorBeat) * 60_000) / this.tempo;
  }

  /** Position in the bar at a time, in beats, in [0, quantum). */
  phaseAt(time: number): number {
    return mod(this.beatAt(time), this.quantum);
  }

  /** The same timeline at another tempo from `atTime` on: the beat (hence the phase) at `atTime` is unchanged. */
  withTempo(tempo: number, atTime: number): Timeline {
    checkTempo(tempo);
    return new Timeline(tempo, this.quantum, this.beatAt(atTime), atTime);
  }

  /** Forces `beat` to fall at `time` (Link's forceBeatAtTime), keeping the tempo. */
  withBeatAtTime(beat: number, time: number): Timeline {
    return Timeline.fromState({ tempo: this.tempo, quantum: this.quantum, beat, time });
  }

  /** First time ≥ `time` at which a bar starts (phase 0), ms: where a player joining now should come in. */
  nextBarTime(time: number): number {
    const beat = this.beatAt(time);
    const next = Math.ceil(beat / this.quantum - 1e-9) * this.quantum;
    return this.timeAtBeat(next);
  }

  /** The integer beats whose times lie in [from, to), ms: the metronome's clicks for a scheduling window. */
  beatsBetween(from: number, to: number): TimelineBeat[] {
    const out: TimelineBeat[] = [];
    for (let b = Math.ceil(this.beatAt(from) - 1e-9); ; b++) {
      const time = this.timeAtBeat(b);
      if (time >= to) break;
      out.push({ beat: b, time, downbeat: Math.abs(mod(b, this.quantum)) < 1e-9 });
    }
    return out;
  }

  /** The timeline as data, anchored at `time` (ms) so the numbers stay small. */
  toState(time = this.anchorTime): TimelineState {
    return { tempo: this.tempo, quantum: this.quantum, beat: this.beatAt(time), time };
  }
}
