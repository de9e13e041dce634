import { DestroyRef, ErrorHandler, computed, effect, inject, signal, untracked } from '@angular/core';
import { JobStatusDto } from '../../api/models';
import { Problem, toProblem } from '../errors/problem';
import { JobEvents, JobFollow } from './job-events';

/** What reading a job-backed resource returns: its state, and where to follow it while it runs. */
export interface JobRecord {
  state: string;
  eventsUrl?: string;
}

export interface FollowedJobOptions<T extends JobRecord> {
  /** Reads the resource: its status, and its result once completed. */
  read: (id: string) => Promise<T>;
  /** Also read when it is shown, not only when it ends (for what the record holds while the job runs). */
  readWhileRunning?: boolean;
  /** Runs with the read of a job that has ended (completed or failed), once per read. */
  ended?: (record: T) => void;
}

const isTerminal = (state: string | undefined): boolean => state === 'completed' || state === 'failed';

/**
 * The job-backed resource a page shows (a generation, a story): followed live at the events URL the server gives while
 * it runs, then read once it ends. Create it in an injection context (a store's field): its stream closes with the
 * store.
 */
export class FollowedJob<T extends JobRecord> {
  private readonly jobEvents = inject(JobEvents);
  private readonly errorHandler = inject(ErrorHandler);
  private readonly idState = signal<string | null>(null);
  private readonly recordState = signal<T | null>(null);
  private readonly follow = signal<JobFollow | null>(null);
  private readonly problemState = signal<Problem | null>(null);

  readonly id = this.idState.asReadonly();
  /** The last read: the final record once the job has ended. */
  readonly record = this.recordState.asReadonly();
  /** Why the last read failed. */
  readonly problem = this.problemState.asReadonly();
  /** Why live updates stopped (the last status stays visible). */
  readonly liveProblem = computed(() => this.follow()?.problem() ?? null);
  /** The final read once the job has ended, else the latest live event, else the last read. */
  readonly status = computed<JobStatusDto | T | null>(() => {
    const record = this.recordState();
    if (record && isTerminal(record.state)) return record;
    return this.follow()?.status() ?? record;
  });
  /** Queued or active as far as the page knows: not once it ended, nor once reading it failed (a job deleted meanwhile). */
  readonly running = computed(() => this.idState() !== null && !isTerminal(this.status()?.state) && this.problemState() === null);

  constructor(private readonly options: FollowedJobOptions<T>) {
    inject(DestroyRef).onDestroy(() => this.follow()?.stop());
    effect(() => {
      const id = this.idState();
      const follow = this.follow();
      // Read once when the job ends, and once when its stream gives up (the server ends it when the job is removed).
      if (id && (follow?.finished() || follow?.stopped())) untracked(() => this.run(this.read(id)));
    });
  }

  /** Shows a resource: follows it at `eventsUrl` (the server's, for one still queued or running), else reads it. */
  show(id: string, eventsUrl: string | null = null): void {
    this.clear();
    this.idState.set(id);
    if (eventsUrl) this.follow.set(this.jobEvents.follow(eventsUrl, null));
    if (!eventsUrl || this.options.readWhileRunning) this.run(this.read(id));
  }

  /** Shows nothing (the resource was deleted, or another view replaces it). */
  clear(): void {
    this.follow()?.stop();
    this.follow.set(null);
    this.recordState.set(null);
    this.problemState.set(null);
    this.idState.set(null);
  }

  private async read(id: string): Promise<void> {
    try {
      const record = await this.options.read(id);
      if (this.idState() !== id) return;
      this.recordState.set(record);
      if (isTerminal(record.state)) {
        this.follow()?.stop();
        this.options.ended?.(record);
      } else if (!this.follow() && record.eventsUrl) {
        this.follow.set(this.jobEvents.follow(record.eventsUrl, null));
      }
    } catch (error: unknown) {
      if (this.idState() === id) this.problemState.set(toProblem(error));
    }
  }

  /** Work nobody waits for: anything unexpected reaches the ErrorHandler. */
  private run(work: Promise<void>): void {
    work.catch((error: unknown) => this.errorHandler.handleError(error));
  }
}
