import { HttpStatus } from '@nestjs/common';
import { ProblemException, ServiceUnavailableProblem } from '../errors/problem';

export interface InFlightLimitOptions {
  /** Work running at once in this process; one more waits (waitMs), then is refused with 503. */
  max: number;
  /** Work running at once for one caller (a user id); one more waits (waitMs), then is refused with 429, so nobody holds every slot. */
  maxPerCaller: number;
  /** The 503's detail. */
  busyDetail: string;
  retryAfterSec?: number;
  /** How long work past a limit waits for a slot, in arrival order, before it is refused (default 0: refused at once). */
  waitMs?: number;
  /** Work waiting at once in this process (one caller's: at most 4 × maxPerCaller); more is refused at once (default 4 × max). */
  maxWaiting?: number;
}

interface Waiter {
  caller: string;
  admit: () => void;
}

/**
 * Admission for request work that holds large buffers or a CPU-bound model: it runs at once up to the limits, waits a
 * short, bounded while for a slot beyond them (a client sending a few requests in parallel is served in turn), and is
 * then refused with problem+json (Retry-After) instead of queueing without bound, where a queue would only grow memory
 * and every caller's wait.
 */
export class InFlightLimit {
  private running = 0;
  private readonly perCaller = new Map<string, number>();
  private readonly waiting: Waiter[] = [];

  constructor(private readonly options: InFlightLimitOptions) {}

  get inFlight(): number {
    return this.running;
  }

  async run<T>(caller: string, work: () => Promise<T>): Promise<T> {
    if (this.fits(caller) && this.waiting.length === 0) this.take(caller);
    else await this.waitForSlot(caller);
    try {
      return await work();
    } finally {
      this.running--;
      const left = (this.perCaller.get(caller) ?? 1) - 1;
      if (left > 0) this.perCaller.set(caller, left);
      else this.perCaller.delete(caller);
      this.admitWaiting();
    }
  }

  /** Counts a slot as taken the moment it is granted, so that nobody arriving meanwhile is let in past the limits. */
  private take(caller: string): void {
    this.running++;
    this.perCaller.set(caller, (this.perCaller.get(caller) ?? 0) + 1);
  }

  private fits(caller: string): boolean {
    return this.running < this.options.max && (this.perCaller.get(caller) ?? 0) < this.options.maxPerCaller;
  }

  private waitForSlot(caller: string): Promise<void> {
    const waitMs = this.options.waitMs ?? 0;
    const full = this.waiting.length >= (this.options.maxWaiting ?? 4 * this.options.max);
    // One caller's burst cannot take every waiting place from the others.
    const callerFull = this.waiting.filter((w) => w.caller === caller).length >= 4 * this.options.maxPerCaller;
    if (waitMs <= 0 || full || callerFull) return Promise.reject(this.refusal(caller));
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        caller,
        admit: () => {
          clearTimeout(timer);
          this.take(caller);
          resolve();
        },
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(waiter), 1);
        reject(this.refusal(caller));
        // A caller at its own limit may have held up others behind it.
        this.admitWaiting();
      }, waitMs);
      this.waiting.push(waiter);
      // Another's work may have ended between the check and now (e.g. only the queue held this one back).
      this.admitWaiting();
    });
  }

  /** Admits, in arrival order, every waiter that fits now (one caller at its limit does not hold up the others). */
  private admitWaiting(): void {
    for (let i = 0; i < this.waiting.length && this.running < this.options.max;) {
      const { caller, admit } = this.waiting[i];
      if (!this.fits(caller)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      admit();
    }
  }

  private refusal(caller: string): ProblemException {
    const retryAfterSec = this.options.retryAfterSec ?? 2;
    const mine = this.perCaller.get(caller) ?? 0;
    if (mine >= this.options.maxPerCaller) {
      const detail = `You have ${mine} of these requests running; send the next when one has answered.`;
      return new ProblemException(HttpStatus.TOO_MANY_REQUESTS, detail, { retryAfterSec });
    }
    return new ServiceUnavailableProblem(this.options.busyDetail, retryAfterSec);
  }
}
