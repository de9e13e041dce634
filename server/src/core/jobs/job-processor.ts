import { Logger } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { UnrecoverableError, type Job } from 'bullmq';
import { isTransientError } from '../errors/transient-error';
import type { JobProgressDto } from './dto/job.dto';
import type { OwnedJobData } from './jobs.service';

/** The part of a BullMQ job the reporter writes to (a Job, or a test double of one). */
export type ProgressTarget = Pick<Job, 'id' | 'queueName' | 'updateProgress'>;

/**
 * Writes a job's progress to Redis without ever failing the job or the process. Progress is advisory:
 * when Redis blips or the job was removed meanwhile, the update is logged and the work goes on.
 * Updates are written one after another, so a slow write cannot overtake a later stage.
 */
export class JobProgressReporter {
  private written: Promise<void> = Promise.resolve();

  constructor(
    private readonly job: ProgressTarget,
    private readonly logger: Logger,
  ) {}

  /** Records `progress`; returns at once and never throws (a failed write is logged as a warning). */
  report(progress: JobProgressDto): void {
    this.written = this.written
      .then(() => this.job.updateProgress(progress))
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        const jobId = String(this.job.id);
        this.logger.warn(
          { queue: this.job.queueName, jobId, stage: progress.stage, reason },
          `Progress update of job ${jobId} on ${this.job.queueName} failed (${reason}); the job goes on`,
        );
      });
  }

  /** Resolves once every reported update was written or given up; never rejects. */
  settled(): Promise<void> {
    return this.written;
  }
}

/** What a feature's job handler gets: the job's id and data, and a progress reporter that cannot fail it. */
export interface JobContext<T extends OwnedJobData> {
  id: string;
  data: T;
  progress: JobProgressReporter;
  /**
   * Whether BullMQ will run the job again after this error (a lost database or Redis connection, with attempts
   * left). A handler that records failures writes "failed" only when this is false.
   */
  willRetry: (error: unknown) => boolean;
}

/** The part of a BullMQ job the processor reads to decide on a retry. */
type RetryTarget = Pick<Job, 'attemptsMade'> & { opts?: Pick<Job['opts'], 'attempts'> };

export function willRetry(job: RetryTarget, error: unknown, retryable: (error: unknown) => boolean = isTransientError): boolean {
  return retryable(error) && job.attemptsMade + 1 < (job.opts?.attempts ?? 1);
}

/**
 * The one way to process a queue: extend this with `@Processor(QUEUE, { autorun: false })` and implement
 * `run`. The handler never touches `job.updateProgress` (whose dropped promise once took the worker down);
 * it reports through `progress.report({ percent, stage })`, which logs failures instead of throwing.
 */
export abstract class JobProcessor<T extends OwnedJobData, R> extends WorkerHost {
  private readonly jobLogger = new Logger('Jobs');

  /**
   * Runs the handler. A transient failure (a dependency's connection lost) is rethrown as it is, so BullMQ retries it
   * with the queue's attempts and backoff; any other failure is final (UnrecoverableError: retrying cannot help).
   */
  async process(job: Job<T>): Promise<R> {
    const progress = new JobProgressReporter(job, this.jobLogger);
    try {
      return await this.run({ id: String(job.id), data: job.data, progress, willRetry: (error) => willRetry(job, error, (e) => this.retryable(e)) });
    } catch (error) {
      if (this.retryable(error)) {
        this.jobLogger.warn(
          { queue: job.queueName, jobId: String(job.id), attempt: job.attemptsMade + 1 },
          `Job ${String(job.id)} on ${job.queueName} met a transient failure (${error instanceof Error ? error.message : String(error)}); ${willRetry(job, error, (e) => this.retryable(e)) ? 'it will be retried' : 'no attempts left'}`,
        );
        throw error;
      }
      if (error instanceof UnrecoverableError) throw error;
      throw new UnrecoverableError(error instanceof Error ? error.message : String(error));
    } finally {
      // The last stage's update lands before BullMQ marks the job finished.
      await progress.settled();
    }
  }

  protected abstract run(job: JobContext<T>): Promise<R>;

  /** Whether a failure may pass if tried again: a lost dependency by default; a processor calling a remote service adds its own. */
  protected retryable(error: unknown): boolean {
    return isTransientError(error);
  }
}
