/**
 * Log patterns over time: each message is assigned a template online (LogTemplateMiner); counts per template are kept
 * per time bucket, and closing a bucket reports
 *   - new: a template seen for the first time (after a warm-up, so that start-up does not flood);
 *   - burst: a bucket count far above the template's usual rate (Poisson upper tail below burstP);
 *   - silent: a template that used to appear regularly has not appeared for so long that its usual rate makes the gap
 *     improbable (e^(−λ·k) below silenceP) — a message that stops appearing (heartbeats, a job that no longer runs).
 * Memory is bounded: per template a few numbers and a short ring of recent bucket counts.
 */
import { LogTemplateMiner, LogMinerSettings, LOG_MINER_SETTINGS } from './log-template-miner';

export interface LogMonitorSettings {
  /** Bucket length, ms. */
  readonly bucketMs: number;
  /** Buckets of history kept per template (for charts). */
  readonly historyBuckets: number;
  /** Buckets after the first message during which new templates are learned silently. */
  readonly warmupBuckets: number;
  /** Weight of a template's usual rate (per bucket), per closed bucket. */
  readonly rateAlpha: number;
  /** A bucket is a burst when P(N ≥ count | usual rate) < burstP… */
  readonly burstP: number;
  /** …and the count is at least this. */
  readonly burstMinCount: number;
  /** A template is silent when e^(−rate·gap) < silenceP… */
  readonly silenceP: number;
  /** …and it had appeared in at least this many buckets. */
  readonly silenceMinBuckets: number;
}

export const LOG_MONITOR_SETTINGS: LogMonitorSettings = {
  bucketMs: 60_000,
  historyBuckets: 60,
  warmupBuckets: 10,
  rateAlpha: 0.05,
  burstP: 1e-4,
  burstMinCount: 5,
  silenceP: 1e-4,
  silenceMinBuckets: 10,
};

export type LogPatternEventKind = 'new' | 'burst' | 'silent';

/** Something that changed in the log patterns, found when a bucket closed. */
export interface LogPatternEvent {
  readonly kind: LogPatternEventKind;
  readonly templateId: string;
  readonly template: string;
  /** Start of the bucket the event is about, epoch ms. */
  readonly at: number;
  /** Messages of this template in that bucket. */
  readonly count: number;
  /** The template's usual messages per bucket before it. */
  readonly expected: number;
  /** How improbable under the usual rate (tail probability; 0 for new). */
  readonly pValue: number;
}

/** A template's state for lists and charts. */
export interface LogPatternStats {
  readonly id: string;
  readonly template: string;
  readonly total: number;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Usual messages per bucket. */
  readonly rate: number;
  /** Counts of the last closed buckets, oldest first (at most historyBuckets). */
  readonly history: number[];
}

interface PatternState {
  readonly id: string;
  total: number;
  firstSeen: number;
  lastSeen: number;
  rate: number;
  bucketsSeen: number;
  bucketsAlive: number;
  current: number;
  silentReported: boolean;
  readonly history: number[];
}

/** P(N ≥ k) for N ~ Poisson(λ). */
export function poissonUpperTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  if (lambda <= 0) return 0;
  if (k > lambda + 1000) return 0;
  // Sum the upper tail from k in log space: terms shrink geometrically beyond λ.
  let logTerm = -lambda + k * Math.log(lambda) - logFactorial(k);
  let sum = 0;
  for (let i = k; i < k + 10_000; i++) {
    const term = Math.exp(logTerm);
    sum += term;
    if (i > lambda && term < sum * 1e-12) break;
    logTerm += Math.log(lambda) - Math.log(i + 1);
  }
  return Math.min(1, sum);
}

function logFactorial(n: number): number {
  if (n < 2) return 0;
  if (n < 30) {
    let s = 0;
    for (let i = 2; i <= n; i++) s += Math.log(i);
    return s;
  }
  // Stirling with the 1/(12n) term.
  return n * Math.log(n) - n + 0.5 * Math.log(2 * Math.PI * n) + 1 / (12 * n);
}

/** Streaming log-pattern monitor: feed messages with `observe`, collect events with `advance` (or as buckets roll over). */
export class LogPatternMonitor {
  private readonly miner: LogTemplateMiner;
  private readonly s: LogMonitorSettings;
  private readonly patterns = new Map<string, PatternState>();
  private bucketStart = NaN;
  private firstBucket = NaN;
  private readonly pending: LogPatternEvent[] = [];

  constructor(settings: Partial<LogMonitorSettings> = {}, minerSettings: LogMinerSettings = LOG_MINER_SETTINGS) {
    this.s = { ...LOG_MONITOR_SETTINGS, ...settings };
    this.miner = new LogTemplateMiner(minerSettings);
  }

  /** Assigns a message (epoch ms, message text) to its template; closes the buckets before it first. */
  observe(timestamp: number, message: string): { templateId: string; isNew: boolean } {
    const bucket = Math.floor(timestamp / this.s.bucketMs) * this.s.bucketMs;
    if (Number.isNaN(this.bucketStart)) this.bucketStart = this.firstBucket = bucket;
    else if (bucket > this.bucketStart) this.closeUntil(bucket);
    const { id, isNew, merged } = this.miner.add(message);
    for (const old of merged) this.mergeInto(old, id);
    let p = this.patterns.get(id);
    if (!p) {
      p = { id, total: 0, firstSeen: timestamp, lastSeen: timestamp, rate: 0, bucketsSeen: 0, bucketsAlive: 0, current: 0, silentReported: false, history: [] };
      this.patterns.set(id, p);
      if (this.bucketStart - this.firstBucket >= this.s.warmupBuckets * this.s.bucketMs) {
        this.pending.push({
          kind: 'new',
          templateId: id,
          template: this.miner.template(id) ?? message,
          at: this.bucketStart,
          count: 1,
          expected: 0,
          pValue: 0,
        });
      }
    }
    p.total++;
    p.current++;
    p.lastSeen = Math.max(p.lastSeen, timestamp);
    return { templateId: id, isNew };
  }

  /** Closes every bucket that ended by `now` (epoch ms) and returns the events found since the last call. */
  advance(now: number): LogPatternEvent[] {
    const bucket = Math.floor(now / this.s.bucketMs) * this.s.bucketMs;
    if (!Number.isNaN(this.bucketStart) && bucket > this.bucketStart) this.closeUntil(bucket);
    return this.pending.splice(0, this.pending.length);
  }

  /** The live template an id stands for now, and its text (an id absorbed by a more general template maps to that one). */
  current(id: string): { id: string; template: string } {
    const live = this.miner.resolve(id);
    return { id: live, template: this.miner.template(live) ?? '' };
  }

  /** Every template with its counts, most frequent first. */
  stats(): LogPatternStats[] {
    return [...this.patterns.values()]
      .map((p) => ({
        id: p.id,
        template: this.miner.template(p.id) ?? '',
        total: p.total,
        firstSeen: p.firstSeen,
        lastSeen: p.lastSeen,
        rate: p.rate,
        history: [...p.history],
      }))
      .sort((a, b) => b.total - a.total);
  }

  /** A template absorbed by a more general one: its counts and history join the general one's. */
  private mergeInto(oldId: string, id: string): void {
    const old = this.patterns.get(oldId);
    if (!old) return;
    this.patterns.delete(oldId);
    const p = this.patterns.get(id);
    if (!p) {
      this.patterns.set(id, { ...old, id, history: [...old.history] });
      return;
    }
    p.total += old.total;
    p.current += old.current;
    p.rate += old.rate;
    p.firstSeen = Math.min(p.firstSeen, old.firstSeen);
    p.lastSeen = Math.max(p.lastSeen, old.lastSeen);
    p.bucketsSeen = Math.max(p.bucketsSeen, old.bucketsSeen);
    p.bucketsAlive = Math.max(p.bucketsAlive, old.bucketsAlive);
    const offset = p.history.length - old.history.length;
    old.history.forEach((c, k) => {
      if (offset + k >= 0) p.history[offset + k] += c;
    });
  }

  private closeUntil(bucket: number): void {
    // Gaps of many empty buckets are closed in one step for the silence test, one by one for rates (bounded).
    const steps = Math.min(Math.round((bucket - this.bucketStart) / this.s.bucketMs), this.s.historyBuckets * 10);
    for (let k = 0; k < steps; k++) {
      this.closeBucket(this.bucketStart);
      this.bucketStart += this.s.bucketMs;
    }
    this.bucketStart = bucket;
  }

  private closeBucket(start: number): void {
    const s = this.s;
    const warm = start - this.firstBucket >= s.warmupBuckets * s.bucketMs;
    for (const p of this.patterns.values()) {
      const count = p.current;
      const expected = p.rate;
      if (warm && count >= s.burstMinCount && p.bucketsAlive >= 1) {
        const pValue = poissonUpperTail(count, Math.max(expected, 1 / (p.bucketsAlive + 1)));
        if (pValue < s.burstP)
          this.pending.push({ kind: 'burst', templateId: p.id, template: this.miner.template(p.id) ?? '', at: start, count, expected, pValue });
      }
      if (count > 0) {
        p.silentReported = false;
        p.bucketsSeen++;
      } else if (warm && !p.silentReported && p.bucketsSeen >= s.silenceMinBuckets) {
        const gap = Math.max(1, Math.round((start + s.bucketMs - p.lastSeen) / s.bucketMs));
        const pValue = Math.exp(-expected * gap);
        if (pValue < s.silenceP) {
          p.silentReported = true;
          this.pending.push({ kind: 'silent', templateId: p.id, template: this.miner.template(p.id) ?? '', at: start, count: 0, expected, pValue });
        }
      }
      // The usual rate learns from the bucket, with a burst counted at most at the burst limit so that it stays unusual.
      p.bucketsAlive++;
      const a = Math.max(s.rateAlpha, 1 / p.bucketsAlive);
      p.rate += a * (Math.min(count, Math.max(s.burstMinCount, 3 * expected + 3)) - p.rate);
      p.history.push(count);
      if (p.history.length > s.historyBuckets) p.history.shift();
      p.current = 0;
    }
  }
}
