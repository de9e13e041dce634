import { Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import type { JobProgressDto } from './dto/job.dto';
import { JobProcessor, JobProgressReporter, willRetry, type JobContext, type ProgressTarget } from './job-processor';

/** A job whose progress writes go through `write` (which may reject, as Redis does when the job was removed). */
function fakeJob(write: (progress: JobProgressDto) => Promise<void>): ProgressTarget & Pick<Job, 'data'> {
  return { id: 'job-1', queueName: 'music-generation', data: { userId: 'u1' }, updateProgress: write };
}

class StagedProcessor extends JobProcessor<{ userId: string }, string> {
  protected run({ id, progress }: JobContext<{ userId: string }>): Promise<string> {
    progress.report({ percent: 10, stage: 'planning' });
    progress.report({ percent: 50, stage: 'rendering' });
    return Promise.resolve(`done ${id}`);
  }
}

describe('JobProgressReporter', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined)));
  afterEach(() => warn.mockRestore());

  it('writes updates in the order they were reported', async () => {
    const written: string[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    const reporter = new JobProgressReporter(
      fakeJob(async (p) => {
        if (p.stage === 'planning') await firstHeld;
        written.push(p.stage);
      }),
      new Logger('Jobs'),
    );
    reporter.report({ percent: 5, stage: 'planning' });
    reporter.report({ percent: 20, stage: 'composing' });
    releaseFirst();
    await reporter.settled();
    expect(written).toEqual(['planning', 'composing']);
  });

  it('logs a failed update with the queue, job id and reason instead of rejecting', async () => {
    const reporter = new JobProgressReporter(
      fakeJob(() => Promise.reject(new Error('Missing key for job job-1. updateProgress'))),
      new Logger('Jobs'),
    );
    expect(() => reporter.report({ percent: 40, stage: 'rendering' })).not.toThrow();
    await expect(reporter.settled()).resolves.toBeUndefined();
    expect(warn).toHaveBeenCalledWith(
      { queue: 'music-generation', jobId: 'job-1', stage: 'rendering', reason: 'Missing key for job job-1. updateProgress' },
      expect.stringContaining('Progress update of job job-1 on music-generation failed'),
    );
  });
});

describe('JobProcessor', () => {
  let warn: jest.SpyInstance;
  beforeEach(() => (warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined)));
  afterEach(() => warn.mockRestore());

  it('completes the job when its progress updates reject', async () => {
    const job = fakeJob(() => Promise.reject(new Error('Connection is closed.')));
    await expect(new StagedProcessor().process(job as unknown as Job<{ userId: string }>)).resolves.toBe('done job-1');
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('finishes writing progress before it hands the result to BullMQ', async () => {
    const written: string[] = [];
    const job = fakeJob(async (p) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      written.push(p.stage);
    });
    await new StagedProcessor().process(job as unknown as Job<{ userId: string }>);
    expect(written).toEqual(['planning', 'rendering']);
  });

  describe('retries', () => {
    const lostConnection = () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
    class FailingProcessor extends JobProcessor<{ userId: string }, string> {
      seen: boolean[] = [];
      constructor(private readonly failure: () => Error) {
        super();
      }
      protected run({ willRetry }: JobContext<{ userId: string }>): Promise<string> {
        const error = this.failure();
        this.seen.push(willRetry(error));
        return Promise.reject(error);
      }
    }
    const attempt = (attemptsMade: number) =>
      ({ ...fakeJob(() => Promise.resolve()), attemptsMade, opts: { attempts: 3 } }) as unknown as Job<{ userId: string }>;

    it('rethrows a transient failure as it is, so BullMQ retries it while attempts are left', async () => {
      const processor = new FailingProcessor(lostConnection);
      await expect(processor.process(attempt(0))).rejects.toMatchObject({ code: '57P01' });
      await expect(processor.process(attempt(2))).rejects.not.toBeInstanceOf(UnrecoverableError);
      expect(processor.seen).toEqual([true, false]);
    });

    it('makes any other failure final (no retry can help)', async () => {
      const processor = new FailingProcessor(() => new Error('every music provider failed'));
      await expect(processor.process(attempt(0))).rejects.toBeInstanceOf(UnrecoverableError);
      expect(processor.seen).toEqual([false]);
    });

    it('decides from the attempts BullMQ made', () => {
      expect(willRetry({ attemptsMade: 0, opts: { attempts: 3 } }, lostConnection())).toBe(true);
      expect(willRetry({ attemptsMade: 0, opts: {} }, lostConnection())).toBe(false);
      expect(willRetry({ attemptsMade: 0, opts: { attempts: 3 } }, new TypeError('bug'))).toBe(false);
    });
  });
});
