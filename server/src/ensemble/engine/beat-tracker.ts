import { Timeline } from './shared-clock';
import { EnsembleNote, isEnsembleNote, isNoteOn } from './types';

export interface BeatTrackerOptions {
  /** Slowest and fastest beat the tracker considers, BPM (default 60–180). */
  minTempo?: number;
  maxTempo?: number;
  /** Centre of the tempo prior, BPM (default 120: the most common preferred tempo, Moelants 2002). */
  preferredTempo?: number;
  /** Onsets closer than this are one onset (a chord, or players a little apart), ms (default 40). */
  mergeMs?: number;
  /** How far back onsets are remembered, ms (default 8000). */
  historyMs?: number;
  /** Beats per bar of the timeline it hands out (default 4). */
  quantum?: number;
}

const LOG_K = [0, 0, Math.log(2), Math.log(3), Math.log(4)];

interface Onset {
  time: number;
  /** Number of notes struck together. */
  notes: number;
}

/** Tracker constants (data): the prior's width, the phase-locking gains, the re-lock rule. */
const TRACKER = {
  /** Width of the log-normal tempo prior, octaves (Ellis 2007 uses a similar weighting window). */
  priorOctaves: 1,
  /** Width of the IOI histogram's kernel, in log-period units (≈ ±3%). */
  kernel: 0.03,
  /** Phase correction per onset (fraction of the error), and period correction (Large & Kolen 1994 style). */
  phaseGain: 0.3,
  periodGain: 0.08,
  /** An onset this close to a beat (fraction of the period) corrects the phase; farther ones are off-beats. */
  lockWindow: 0.2,
  /** The induced tempo must differ by this much (ratio) on this many successive onsets before the tracker re-locks. */
  relockRatio: 0.06,
  relockCount: 3,
  /** Another phase must fit the onsets this much better (on `relockCount` successive onsets) to move the beat. */
  rephaseMargin: 1.25,
  /** The current period's bonus in the histogram, so a tie between metrical levels does not flip the beat. */
  stickiness: 1.5,
  /** At most this many recent onsets are remembered (bounds the work per onset in fast music). */
  maxOnsets: 48,
  /** The phase is re-examined on every this many onsets (the grid search is the costliest step). */
  rephaseEvery: 4,
  /** Onsets needed before the first lock (they must also span two beats of the preferred tempo). */
  minOnsets: 5,
};

/**
 * Online beat tracker for players who do not follow the room tempo. Tempo induction: a histogram of inter-onset
 * intervals (every pair of recent onsets up to four beats apart votes for the periods it could span, 1/k for k
 * beats), weighted by a log-normal prior around 120 BPM. Phase: the grid that best fits the recent onsets (each
 * weighted by its chord size and the gap after it, a proxy for metrical accent), then phase-locked onset by onset
 * (phase and period nudged by each on-beat onset's error). A lasting change of the induced tempo, or a grid off the
 * beat that lastingly fits better, re-locks the beat, keeping the beat count continuous.
 */
export class BeatTracker {
  private readonly minPeriod: number;
  private readonly maxPeriod: number;
  private readonly preferredPeriod: number;
  private readonly mergeMs: number;
  private readonly historyMs: number;
  private readonly quantum: number;
  private readonly periods: number[];
  private onsets: Onset[] = [];
  private period = 0;
  private anchorTime = 0;
  private anchorBeat = 0;
  private disagreements = 0;
  private offBeat = 0;
  private sincePhaseCheck = 0;

  constructor(options: BeatTrackerOptions = {}) {
    const minTempo = options.minTempo ?? 60;
    const maxTempo = options.maxTempo ?? 180;
    if (!(minTempo > 0 && maxTempo > minTempo)) throw new RangeError(`tempo range must satisfy 0 < min < max, got ${minTempo}–${maxTempo}`);
    this.minPeriod = 60_000 / maxTempo;
    this.maxPeriod = 60_000 / minTempo;
    this.preferredPeriod = 60_000 / (options.preferredTempo ?? 120);
    this.mergeMs = options.mergeMs ?? 40;
    this.historyMs = options.historyMs ?? 8000;
    this.quantum = options.quantum ?? 4;
    this.periods = [];
    for (let p = this.minPeriod; p <= this.maxPeriod * 1.0001; p *= 1.01) this.periods.push(p);
  }

  /** Takes a player's event; note-ons on any channel (drums included) are onsets. */
  hear(e: EnsembleNote): void {
    if (!isEnsembleNote(e) || !isNoteOn(e)) return;
    const last = this.onsets[this.onsets.length - 1];
    if (last && e.time - last.time < this.mergeMs && e.time >= last.time) {
      last.notes++;
      return;
    }
    if (last && e.time < last.time) return; // late and out of order: it cannot move the beat any more
    this.onsets.push({ time: e.time, notes: 1 });
    while (this.onsets.length > TRACKER.maxOnsets || (this.onsets.length > 0 && e.time - this.onsets[0].time > this.historyMs)) this.onsets.shift();
    this.update(e.time);
  }

  /** Whether a beat has been found. */
  get locked(): boolean {
    return this.period > 0;
  }

  /** Current tempo, BPM (undefined before lock). */
  get tempo(): number | undefined {
    return this.period > 0 ? 60_000 / this.period : undefined;
  }

  /** Share (0–1) of the recent onsets that fall on the beat grid or halfway between beats. */
  confidence(time: number): number {
    if (!this.period) return 0;
    let on = 0;
    let all = 0;
    for (const o of this.onsets) {
      if (time - o.time > 4 * this.period) continue;
      all++;
      const half = (this.beatAt(o.time) * 2) % 1;
      const d = Math.min(half, 1 - half) / 2; // distance to the half-beat grid, in beats
      if (d < 0.08) on++;
    }
    return all === 0 ? 0 : on / all;
  }

  /** The tracked beat as a shared-clock timeline (undefined before lock). */
  timeline(): Timeline | undefined {
    if (!this.period) return undefined;
    return Timeline.fromState({ tempo: 60_000 / this.period, quantum: this.quantum, beat: this.anchorBeat, time: this.anchorTime });
  }

  private beatAt(time: number): number {
    return this.anchorBeat + (time - this.anchorTime) / this.period;
  }

  private update(now: number): void {
    const induced = this.induce();
    if (!this.period) {
      const first = this.onsets[0];
      if (induced === undefined || this.onsets.length < TRACKER.minOnsets || now - first.time < 2 * this.preferredPeriod) return;
      this.lock(induced, now, true);
      return;
    }
    if (induced !== undefined && Math.abs(Math.log(induced / this.period)) > Math.log(1 + TRACKER.relockRatio)) {
      if (++this.disagreements >= TRACKER.relockCount) {
        this.lock(induced, now, false);
        return;
      }
    } else this.disagreements = 0;
    // A clearly better grid off the current beat (the first lock heard a pickup as the beat): re-phase.
    if (++this.sincePhaseCheck >= TRACKER.rephaseEvery) {
      this.sincePhaseCheck = 0;
      const weights = this.onsetWeights(this.period, now);
      const best = this.bestPhase(this.period, weights);
      const current = this.phaseScore(this.anchorTime, this.period, weights);
      const offset = Math.abs(this.beatAt(best.phase) - Math.round(this.beatAt(best.phase)));
      if (offset > 0.15 && best.score > TRACKER.rephaseMargin * current) {
        if (++this.offBeat >= TRACKER.relockCount) {
          this.lock(this.period, now, false);
          return;
        }
      } else this.offBeat = 0;
    }
    // Phase locking: an onset near a beat pulls the beat towards it.
    const beat = this.beatAt(now);
    const nearest = Math.round(beat);
    const error = (beat - nearest) * this.period;
    if (Math.abs(error) < TRACKER.lockWindow * this.period) {
      const period = Math.min(this.maxPeriod, Math.max(this.minPeriod, this.period + TRACKER.periodGain * error));
      this.anchorBeat = nearest;
      this.anchorTime = now - error + TRACKER.phaseGain * error;
      this.period = period;
    }
  }

  /** Period (ms) that best explains the recent onsets' intervals, under the tempo prior; undefined with < 3 onsets. */
  private induce(): number | undefined {
    const n = this.onsets.length;
    if (n < 3) return undefined;
    const logs = this.periods.map(Math.log);
    const raw = new Float64Array(this.periods.length);
    const lo = logs[0];
    const step = Math.log(1.01);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        const d = this.onsets[j].time - this.onsets[i].time;
        if (d > 4 * this.maxPeriod) break;
        const w = Math.sqrt(this.onsets[i].notes * this.onsets[j].notes);
        const ld = Math.log(d);
        for (let k = 1; k <= 4; k++) {
          // Linear interpolation between the two nearest bins; the kernel is applied once below.
          const x = (ld - LOG_K[k] - lo) / step;
          const b = Math.floor(x);
          if (b < -1 || b >= raw.length) continue;
          const f = x - b;
          if (b >= 0) raw[b] += (w / k) * (1 - f);
          if (b + 1 < raw.length) raw[b + 1] += (w / k) * f;
        }
      }
    }
    const reach = Math.ceil((3 * TRACKER.kernel) / step);
    const kernel = Array.from({ length: 2 * reach + 1 }, (_, i) => Math.exp(-0.5 * (((i - reach) * step) / TRACKER.kernel) ** 2));
    const score = new Float64Array(raw.length);
    for (let b = 0; b < raw.length; b++) {
      if (raw[b] === 0) continue;
      for (let o = -reach; o <= reach; o++) if (b + o >= 0 && b + o < raw.length) score[b + o] += raw[b] * kernel[o + reach];
    }
    let best = -1;
    let bestScore = 0;
    const sigma = TRACKER.priorOctaves * Math.LN2;
    for (let b = 0; b < score.length; b++) {
      let s = score[b] * Math.exp(-0.5 * ((logs[b] - Math.log(this.preferredPeriod)) / sigma) ** 2);
      if (this.period && Math.abs(logs[b] - Math.log(this.period)) < TRACKER.kernel) s *= TRACKER.stickiness;
      if (s > bestScore) {
        bestScore = s;
        best = b;
      }
    }
    return best >= 0 ? this.periods[best] : undefined;
  }

  /** Each recent onset's weight in the phase search: its accent (chord size, the gap after it) times its recency. */
  private onsetWeights(period: number, now: number): Float64Array {
    const w = new Float64Array(this.onsets.length);
    this.onsets.forEach((o, i) => {
      // A long note is an accent; the latest onset's gap is not known yet: neutral.
      const gap = i + 1 < this.onsets.length ? Math.min(this.onsets[i + 1].time - o.time, period) : period / 2;
      w[i] = Math.sqrt(o.notes) * (0.5 + gap / period) * Math.exp(-(now - o.time) / this.historyMs);
    });
    return w;
  }

  /** How well a beat grid (period, a beat at `phase`) fits the recent onsets with these weights. */
  private phaseScore(phase: number, period: number, weights: Float64Array): number {
    const sigma = 0.06 * period;
    let s = 0;
    for (let i = 0; i < this.onsets.length; i++) {
      const x = (((this.onsets[i].time - phase) % period) + period) % period;
      const d = Math.min(x, period - x);
      if (d < 3 * sigma) s += weights[i] * Math.exp(-0.5 * (d / sigma) ** 2);
    }
    return s;
  }

  /** The phase (ms, in [0, period)) of the best-fitting grid, on a 1/48-period lattice. */
  private bestPhase(period: number, weights: Float64Array): { phase: number; score: number } {
    let phase = 0;
    let score = -1;
    for (let step = 0; step < 48; step++) {
      const p = (step / 48) * period;
      const s = this.phaseScore(p, period, weights);
      if (s > score) {
        score = s;
        phase = p;
      }
    }
    return { phase, score };
  }

  /** Sets the period and finds the phase that best fits the recent onsets; the beat count continues across re-locks. */
  private lock(period: number, now: number, first: boolean): void {
    const bestPhase = this.bestPhase(period, this.onsetWeights(period, now)).phase;
    // The beat of the grid nearest to now.
    const k = Math.round((now - bestPhase) / period);
    const beatTime = bestPhase + k * period;
    if (first) {
      const firstOnset = this.onsets[0].time;
      this.anchorBeat = Math.round((beatTime - firstOnset) / period);
    } else {
      this.anchorBeat = Math.round(this.beatAt(beatTime));
    }
    this.anchorTime = beatTime;
    this.period = period;
    this.disagreements = 0;
    this.offBeat = 0;
  }
}
