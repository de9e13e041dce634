import { randomUUID } from 'node:crypto';
import { Injectable, Logger, NotFoundException, OnModuleInit } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { getQueueToken } from '@nestjs/bullmq';
import type { Job, JobsOptions, JobType, Queue } from 'bullmq';
import type { AuthUser } from '../auth/auth.decorators';
import { ProblemException, ServiceUnavailableProblem } from '../errors/problem';
import { JobAcceptedDto, JobProgressDto, JobState, JobStatusDto } from './dto/job.dto';
import { QUEUE_NAMES } from './queues';
import { RedisAvailability, withTimeout } from './redis-availability.service';

/** Every job carries the submitting user so status and events are only shown to them (or an admin). */
export interface OwnedJobData {
  userId: string;
}

export interface SubmitOptions {
  /**
   * The job's id (a UUID), when the caller has already recorded the work under it, so its own record
   * exists before a worker can pick the job up; a new UUID otherwise.
   */
  id?: string;
  /** Where the feature serves this job's status; defaults to the generic jobs route. */
  statusUrl?: (id: string) => string;
  jobOptions?: JobsOptions;
}

const QUEUE_TIMEOUT_MS = 3000;

/**
 * Every job may run three times: a run that loses PostgreSQL or Redis midway (JobProcessor rethrows only such
 * transient failures; any other failure is final) is retried after 2 s, then 4 s.
 */
export const JOB_RETRY: Pick<JobsOptions, 'attempts' | 'backoff'> = { attempts: 3, backoff: { type: 'exponential', delay: 2000 } };
const RETRY_AFTER_SEC = 10;

/** Whether `user` may read job `jobId` of a shared queue (besides its owner and admins). */
export type JobViewers = (jobId: string, user: AuthUser) => Promise<boolean>;

/** A job-backed row's failure when its job is gone without a word (its worker stopped, BullMQ removed it). */
export const LOST_JOB_REASON = 'The job was lost before it finished (its worker stopped); start it again.';

/** The one job pattern: submit → 202 + status URL; status with progress, result or error. */
@Injectable()
export class JobsService implements OnModuleInit {
  private readonly logger = new Logger('Jobs');
  private readonly sharedWith = new Map<string, JobViewers>();

  constructor(
    private readonly moduleRef: ModuleRef,
    private readonly redis: RedisAvailability,
  ) {}

  /** A queue emits 'error' when Redis is unreachable; without a listener that would crash the process. */
  onModuleInit(): void {
    for (const name of QUEUE_NAMES) {
      this.queue(name).on('error', (error) => {
        if (this.redis.isUp()) this.logger.warn(`Queue ${name}: ${error.message}`);
      });
    }
  }

  /** The BullMQ queue (for queue-wide reads such as counts); jobs are submitted, read and cancelled through this service. */
  private async canSee(queueName: string, job: Job, user: AuthUser): Promise<boolean> {
    if (user.role === 'admin' || (job.data as Partial<OwnedJobData>)?.userId === user.id) return true;
    return (await this.sharedWith.get(queueName)?.(String(job.id), user)) ?? false;
  }

  queue(name: string): Queue {
    if (!QUEUE_NAMES.includes(name)) throw new NotFoundException(`There is no queue named ${name}.`);
    return this.moduleRef.get<Queue>(getQueueToken(name), { strict: false });
  }

  /** A queue's job counts by state; 503 when Redis is down or the queue does not answer in time (a Redis cut mid-read). */
  async counts(queueName: string, ...states: JobType[]): Promise<Record<string, number>> {
    this.assertAvailable();
    return this.withQueueTimeout(this.queue(queueName).getJobCounts(...states));
  }

  async submit<T extends OwnedJobData>(queueName: string, jobName: string, data: T, options: SubmitOptions = {}): Promise<JobAcceptedDto> {
    this.assertAvailable();
    const id = options.id ?? randomUUID();
    const queue = this.queue(queueName);
    await this.withQueueTimeout(
      queue.add(jobName, data, { jobId: id, ...JOB_RETRY, removeOnComplete: { age: 86_400 }, removeOnFail: { age: 7 * 86_400 }, ...options.jobOptions }),
    );
    return {
      id,
      queue: queueName,
      state: 'queued',
      statusUrl: options.statusUrl?.(id) ?? `/api/jobs/${queueName}/${id}`,
      eventsUrl: eventsUrlOf(queueName, id),
    };
  }

  /**
   * Lets more users than a job's owner (and admins) read a queue's jobs through the status and events routes: a
   * room's recording is every member's, so whoever asks for its render follows the one job.
   */
  shareJobs(queueName: string, viewers: JobViewers): void {
    this.sharedWith.set(queueName, viewers);
  }

  async status<R = unknown>(queueName: string, id: string, user: AuthUser): Promise<JobStatusDto<R>> {
    this.assertAvailable();
    const job = await this.withQueueTimeout(this.queue(queueName).getJob(id));
    if (!job || !(await this.canSee(queueName, job, user))) throw new NotFoundException(`No job ${id} in ${queueName}.`);
    return this.describe<R>(queueName, job);
  }

  /** A job's status for a service that has checked the caller's access itself; undefined when there is no such job. */
  async find<R = unknown>(queueName: string, id: string): Promise<JobStatusDto<R> | undefined> {
    this.assertAvailable();
    const job = await this.withQueueTimeout(this.queue(queueName).getJob(id));
    return job ? this.describe<R>(queueName, job) : undefined;
  }

  /**
   * Removes a job that has not started (waiting or delayed) or has finished; a job a worker is running is left
   * to finish. Returns true when the job was removed, false when it is running or does not exist.
   */
  async cancel(queueName: string, id: string): Promise<boolean> {
    this.assertAvailable();
    const job = await this.withQueueTimeout(this.queue(queueName).getJob(id));
    if (!job || (await this.withQueueTimeout(job.isActive()))) return false;
    try {
      await this.withQueueTimeout(job.remove());
      return true;
    } catch (error) {
      // A worker took the job between the two reads: it holds the job's lock, so it runs to its end.
      if (await this.withQueueTimeout(job.isActive())) return false;
      throw error;
    }
  }

  private async describe<R>(queueName: string, loaded: Job): Promise<JobStatusDto<R>> {
    const state = toJobState(await this.withQueueTimeout(loaded.getState()));
    // A job that finished between being read and its state being read is read again, for its result or error.
    const finishedSince = (state === 'completed' || state === 'failed') && !loaded.finishedOn;
    const job = (finishedSince && (await this.withQueueTimeout(this.queue(queueName).getJob(String(loaded.id))))) || loaded;
    return {
      id: String(job.id),
      queue: queueName,
      state,
      progress: toProgress(job.progress, state),
      ...(state === 'queued' || state === 'active' ? { eventsUrl: eventsUrlOf(queueName, String(job.id)) } : {}),
      ...(state === 'completed' ? { result: job.returnvalue as R } : {}),
      ...(state === 'failed' ? { error: job.failedReason || 'The job failed.' } : {}),
      createdAt: new Date(job.timestamp).toISOString(),
      ...(job.finishedOn ? { finishedAt: new Date(job.finishedOn).toISOString() } : {}),
    };
  }

  assertAvailable(): void {
    if (!this.redis.isUp()) {
      throw new ServiceUnavailableProblem('The job queue is unavailable because Redis cannot be reached; retry shortly.', RETRY_AFTER_SEC);
    }
  }

  private withQueueTimeout<T>(promise: Promise<T>): Promise<T> {
    return withTimeout(promise, QUEUE_TIMEOUT_MS, 'queue timeout').catch((error: unknown) => {
      if (error instanceof ProblemException) throw error;
      throw new ServiceUnavailableProblem('The job queue did not answer in time; retry shortly.', RETRY_AFTER_SEC);
    });
  }
}

/** Where the browser follows a job live (Server-Sent Events of its status). */
export function eventsUrlOf(queueName: string, id: string): string {
  return `/api/jobs/${queueName}/${id}/events`;
}

export function toJobState(state: string): JobState {
  if (state === 'active') return 'active';
  if (state === 'completed') return 'completed';
  if (state === 'failed') return 'failed';
  return 'queued';
}

export function toProgress(progress: unknown, state: JobState): JobProgressDto {
  if (state === 'completed') return { percent: 100, stage: 'done' };
  if (progress && typeof progress === 'object' && 'percent' in progress) {
    const { percent, stage } = progress as { percent: unknown; stage?: unknown };
    return { percent: Number(percent) || 0, stage: typeof stage === 'string' ? stage : state };
  }
  if (typeof progress === 'number') return { percent: progress, stage: state };
  return { percent: 0, stage: state };
}
