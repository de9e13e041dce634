import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';

/** The state of one client's window after a hit. */
export interface WindowState {
  /** Hits in this window, on every replica as far as this one knows. */
  hits: number;
  /** Whole seconds until the window starts again. */
  resetInSec: number;
  blocked: boolean;
  /** Whole seconds until a block ends (0 when not blocked). */
  retryAfterSec: number;
}

/** One key's hits in one window, reported by a replica to its peers. */
export interface WindowReport {
  key: string;
  /** The window's index: epoch milliseconds / window length. */
  window: number;
  windowMs: number;
  hits: number;
}

/** Where replicas add up their counts (Redis); answers each report with the window's total over all replicas. */
export interface RateLimitPeers {
  report(reports: WindowReport[]): Promise<number[]>;
}

export const RATE_LIMIT_PEERS = Symbol('RATE_LIMIT_PEERS');

interface Window {
  index: number;
  windowMs: number;
  hits: number;
  /** Hits not yet reported to the peers. */
  pending: number;
  /** Hits this replica has reported in this window. */
  reported: number;
  /** Hits the other replicas reported in this window, as of the last report. */
  others: number;
  blockedUntil: number;
}

const SWEEP_EVERY_MS = 60_000;
const REPORT_EVERY_MS = 1_000;

/**
 * Fixed-window rate-limit counters, aligned to the clock (a window is epoch time / its length), so that replicas
 * count the same windows. A hit is O(1) and synchronous (no promise per request): it counts locally and adds what
 * the other replicas had counted at the last report. With peers, every second the hits since the last report go to
 * them and their totals come back, so a client spreading its requests over N replicas is limited at the limit plus at
 * most a second's worth of hits, not at N times it. Without peers, or while they are unreachable, counts are per
 * replica. A key that goes over its limit is blocked for one window length from that request; hits while blocked do
 * not count.
 */
@Injectable()
export class FixedWindowCounter implements OnApplicationShutdown {
  private readonly logger = new Logger(FixedWindowCounter.name);
  private readonly windows = new Map<string, Window>();
  private readonly sweeper = setInterval(() => this.sweep(Date.now()), SWEEP_EVERY_MS).unref();
  private readonly reporter?: NodeJS.Timeout;
  private reporting?: Promise<void>;
  private peersDown = false;

  constructor(@Optional() @Inject(RATE_LIMIT_PEERS) private readonly peers?: RateLimitPeers) {
    if (peers) {
      this.reporter = setInterval(() => {
        this.report().catch((error: unknown) => this.logger.error(`Rate-limit report failed: ${String(error)}`));
      }, REPORT_EVERY_MS).unref();
    }
  }

  /** Counts one request for `key` against `limit` per `windowMs` milliseconds. */
  hit(key: string, limit: number, windowMs: number): WindowState {
    const now = Date.now();
    const index = Math.floor(now / windowMs);
    let window = this.windows.get(key);
    if (!window || (window.index !== index && window.blockedUntil <= now)) {
      window = { index, windowMs, hits: 0, pending: 0, reported: 0, others: 0, blockedUntil: 0 };
      this.windows.set(key, window);
    } else if (window.index !== index) {
      Object.assign(window, { index, windowMs, hits: 0, pending: 0, reported: 0, others: 0 });
    }
    if (window.blockedUntil <= now) {
      window.hits += 1;
      window.pending += 1;
    }
    const hits = window.hits + window.others;
    if (hits > limit && window.blockedUntil <= now) window.blockedUntil = now + windowMs;
    const blocked = window.blockedUntil > now;
    return {
      hits,
      resetInSec: Math.ceil(((index + 1) * windowMs - now) / 1000),
      blocked,
      retryAfterSec: blocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    };
  }

  /** Sends the hits since the last report to the peers and takes their totals (one at a time; the timer calls it). */
  report(): Promise<void> {
    this.reporting ??= this.exchange().finally(() => (this.reporting = undefined));
    return this.reporting;
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
    clearInterval(this.reporter);
  }

  private async exchange(): Promise<void> {
    if (!this.peers) return;
    const sent: { window: Window; report: WindowReport }[] = [];
    for (const [key, window] of this.windows) {
      if (window.pending === 0) continue;
      sent.push({ window, report: { key, window: window.index, windowMs: window.windowMs, hits: window.pending } });
      window.pending = 0;
    }
    if (sent.length === 0) return;
    try {
      const totals = await this.peers.report(sent.map((s) => s.report));
      sent.forEach(({ window, report }, i) => {
        if (window.index !== report.window) return;
        window.reported += report.hits;
        window.others = Math.max(0, totals[i] - window.reported);
      });
      if (this.peersDown) this.logger.log('Rate-limit counts are shared between replicas again');
      this.peersDown = false;
    } catch (error) {
      // Unreported hits are sent with the next report; meanwhile this replica counts alone.
      for (const { window, report } of sent) if (window.index === report.window) window.pending += report.hits;
      if (!this.peersDown) this.logger.warn(`Rate-limit counts are per replica until Redis answers: ${(error as Error).message}`);
      this.peersDown = true;
    }
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) {
      if ((window.index + 1) * window.windowMs <= now && window.blockedUntil <= now) this.windows.delete(key);
    }
  }
}
