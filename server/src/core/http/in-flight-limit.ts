import { HttpStatus } from '@nestjs/common';
import { ProblemException, ServiceUnavailableProblem } from '../errors/problem';

export interface InFlightLimitOptions {
  /** Work running at once in this process; one more is refused with 503. */
  max: number;
  /** Work running at once for one caller (a user id); one more is refused with 429, so nobody holds every slot. */
  maxPerCaller: number;
  /** The 503's detail. */
  busyDetail: string;
  retryAfterSec?: number;
}

/**
 * Admission for request work that holds large buffers or a CPU-bound model: it runs at once up to the limits, and
 * beyond them is refused with problem+json (Retry-After) instead of queueing without bound, where a queue would only
 * grow memory and every caller's wait.
 */
export class InFlightLimit {
  private running = 0;
  private readonly perCaller = new Map<string, number>();

  constructor(private readonly options: InFlightLimitOptions) {}

  get inFlight(): number {
    return this.running;
  }

  async run<T>(caller: string, work: () => Promise<T>): Promise<T> {
    const retryAfterSec = this.options.retryAfterSec ?? 2;
    const mine = this.perCaller.get(caller) ?? 0;
    if (mine >= this.options.maxPerCaller) {
      const detail = `You have ${mine} of these requests running; send the next when one has answered.`;
      throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, detail, { retryAfterSec });
    }
    if (this.running >= this.options.max) throw new ServiceUnavailableProblem(this.options.busyDetail, retryAfterSec);
    this.running++;
    this.perCaller.set(caller, mine + 1);
    try {
      return await work();
    } finally {
      this.running--;
      const left = (this.perCaller.get(caller) ?? 1) - 1;
      if (left > 0) this.perCaller.set(caller, left);
      else this.perCaller.delete(caller);
    }
  }
}
