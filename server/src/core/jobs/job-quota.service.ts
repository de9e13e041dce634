import { HttpStatus, Injectable } from '@nestjs/common';
import { ProblemException } from '../errors/problem';
import { JobQuotaRepository } from './job-quota.repository';

const HOUR_MS = 3_600_000;

/** An hourly quota: what it counts, how many per hour, and how those are named to the user ("music generations"). */
export interface HourlyQuota {
  kind: string;
  perHour: number;
  /** Plural, for the 429's detail. */
  noun: string;
}

/**
 * Hourly quotas on what costs the service to start (a music generation, a story, an ensemble room): a start takes one
 * use, recorded apart from what it started, so deleting that does not give it back and parallel starts cannot overrun
 * the limit.
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
