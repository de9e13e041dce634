import { HttpStatus, Injectable } from '@nestjs/common';
import { ProblemException } from '../errors/problem';
import { JobQuotaRepository } from './job-quota.repository';

const HOUR_MS = 3_600_000;

/** An hourly quota of work a user may start: how many, and how the work is named to them ("music generations"). */
export interface HourlyQuota {
  kind: string;
  perHour: number;
  /** Plural, for the 429's detail. */
  noun: string;
}

/**
 * Hourly quotas on work that costs the workers (a music generation, a story): a start takes one use, recorded apart
 * from the work, so deleting the work does not give it back and parallel starts cannot overrun the limit.
 */
@Injectable()
export class JobQuota {
  constructor(private readonly repository: JobQuotaRepository) {}

  /** Takes one use for the work with id `workId`, or throws 429 with Retry-After (until the oldest use leaves the hour). */
  async take(userId: string, quota: HourlyQuota, workId: string): Promise<void> {
    const taken = await this.repository.take({ id: workId, userId, kind: quota.kind }, quota.perHour, HOUR_MS);
    if (taken.taken) return;
    const retryAfterSec = Math.max(1, Math.ceil((taken.freeAt.getTime() - Date.now()) / 1000));
    const minutes = Math.ceil(retryAfterSec / 60);
    throw new ProblemException(HttpStatus.TOO_MANY_REQUESTS, `You can start ${quota.perHour} ${quota.noun} per hour; the next can start in ${minutes} min.`, {
      retryAfterSec,
    });
  }

  /** Gives the use back: the work never started (its job could not be queued). */
  release(workId: string): Promise<void> {
    return this.repository.release(workId);
  }
}
