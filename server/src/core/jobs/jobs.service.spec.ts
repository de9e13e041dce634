import type { ModuleRef } from '@nestjs/core';
import type { Job, Queue } from 'bullmq';
import { JobsService } from './jobs.service';
import type { RedisAvailability } from './redis-availability.service';

const ADMIN = { id: 'admin', email: 'admin@xiaoyu.test', role: 'admin' as const };

/** A job as BullMQ's getJob returns it: a snapshot, whose state is read separately. */
function snapshot(fields: Partial<Job>, state: string): Job {
  return {
    id: 'j1',
    timestamp: Date.parse('2026-11-30T10:00:00Z'),
    data: { userId: 'u' },
    progress: 0,
    getState: () => Promise.resolve(state),
    ...fields,
  } as unknown as Job;
}

function serviceWith(getJob: () => Promise<Job | undefined>): JobsService {
  const queue = { getJob } as unknown as Queue;
  const moduleRef = { get: () => queue } as unknown as ModuleRef;
  return new JobsService(moduleRef, { isUp: () => true } as RedisAvailability);
}

describe('JobsService.status', () => {
  it('answers the result of a job that finished between being read and its state being read', async () => {
    const reads = [
      snapshot({ finishedOn: undefined, returnvalue: null }, 'completed'),
      snapshot({ finishedOn: Date.parse('2026-11-30T10:00:05Z'), returnvalue: { answer: 42 } }, 'completed'),
    ];
    const status = await serviceWith(() => Promise.resolve(reads.shift())).status('music-generation', 'j1', ADMIN);
    expect(status).toMatchObject({ state: 'completed', result: { answer: 42 }, finishedAt: '2026-11-30T10:00:05.000Z' });
  });

  it('reads a job once when its snapshot is already finished, and answers a failure with its reason', async () => {
    let reads = 0;
    const failed = snapshot({ finishedOn: Date.parse('2026-11-30T10:00:05Z'), failedReason: 'the input was bad' }, 'failed');
    const status = await serviceWith(() => Promise.resolve((reads++, failed))).status('music-generation', 'j1', ADMIN);
    expect(status).toMatchObject({ state: 'failed', error: 'the input was bad' });
    expect(reads).toBe(1);
  });
});
