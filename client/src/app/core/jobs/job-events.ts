import { DestroyRef, Injectable, Signal, computed, inject, signal } from '@angular/core';
import { JobStatusDto } from '../../api/models';
import { EventStreams } from '../http/event-stream';

/** A job being followed live. Signals update as `status` events arrive; `stop()` closes the stream. */
export interface JobFollow {
  /** Latest status (null until the first event). */
  readonly status: Signal<JobStatusDto | null>;
  /** True once the job completed or failed; the stream is closed then. */
  readonly finished: Signal<boolean>;
  /** A readable reason when updates are interrupted (the last status stays visible). */
  readonly problem: Signal<string | null>;
  /** True once the stream gave up (refused again after a token refresh: the job may be gone); `stop()` does not set it. */
  readonly stopped: Signal<boolean>;
  stop(): void;
}

const TERMINAL_STATES: ReadonlySet<string> = new Set(['completed', 'failed']);

/** Follows a job's progress through `GET /api/jobs/:queue/:id/events` (Server-Sent Events, see EventStreams). */
@Injectable({ providedIn: 'root' })
export class JobEvents {
  private readonly streams = inject(EventStreams);

  /**
   * @param eventsUrl the `eventsUrl` from a 202 job answer, e.g. `/api/jobs/music-generation/<id>/events`
   * @param destroyRef closes the stream with the caller (defaults to the injection context's)
   */
  follow(eventsUrl: string, destroyRef: DestroyRef | null = inject(DestroyRef, { optional: true })): JobFollow {
    const status = signal<JobStatusDto | null>(null);
    const stream = this.streams.open<{ status: JobStatusDto }>(eventsUrl, {
      on: {
        status: (next) => {
          status.set(next);
          if (TERMINAL_STATES.has(next.state)) stream.close();
        },
      },
      messages: {
        unavailable: 'Job status is temporarily unavailable.',
        stopped: 'Live updates stopped. Reload the page to see the latest status.',
      },
      destroyRef,
    });
    return {
      status: status.asReadonly(),
      finished: computed(() => TERMINAL_STATES.has(status()?.state ?? '')),
      problem: stream.problem,
      stopped: stream.stopped,
      stop: stream.close,
    };
  }
}
