import type { OnApplicationShutdown } from '@nestjs/common';

/** The state of one client's window after a hit. */
export interface WindowState {
  hits: number;
  /** Whole seconds until the window starts again. */
  resetInSec: number;
  blocked: boolean;
  /** Whole seconds until a block ends (0 when not blocked). */
  retryAfterSec: number;
}

interface Window {
  hits: number;
  endsAt: number;
  blockedUntil: number;
}

const SWEEP_EVERY_MS = 60_000;

/**
 * Fixed-window rate-limit counters: O(1) per request whatever the limit, synchronous (no promise per request).
 * A key that goes over its limit is blocked for one window length from that request; hits while blocked do not count.
 * Counts are per process (per replica).
 */
export class FixedWindowCounter implements OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper = setInterval(() => this.sweep(Date.now()), SWEEP_EVERY_MS).unref();

  /** Counts one request for `key` against `limit` per `windowMs` milliseconds. */
  hit(key: string, limit: number, windowMs: number): WindowState {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || (window.endsAt <= now && window.blockedUntil <= now)) {
      window = { hits: 0, endsAt: now + windowMs, blockedUntil: 0 };
      this.windows.set(key, window);
    } else if (window.endsAt <= now) {
      window.hits = 0;
      window.endsAt = now + windowMs;
    }
    if (window.blockedUntil <= now) window.hits += 1;
    if (window.hits > limit && window.blockedUntil <= now) window.blockedUntil = now + windowMs;
    const blocked = window.blockedUntil > now;
    return {
      hits: window.hits,
      resetInSec: Math.ceil((window.endsAt - now) / 1000),
      blocked,
      retryAfterSec: blocked ? Math.ceil((window.blockedUntil - now) / 1000) : 0,
    };
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows) if (window.endsAt <= now && window.blockedUntil <= now) this.windows.delete(key);
  }
}
