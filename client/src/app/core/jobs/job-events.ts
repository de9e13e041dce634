import { DestroyRef, Injectable, Signal, computed, inject, signal } from '@angular/core';
import { JobStatusDto } from '../../api/models';
import { AuthStore } from '../auth/auth.store';
import { readDetail } from '../http/server-event';

/** A job being followed live. Signals update as `status` events arrive; `stop()` closes the stream. */
export interface JobFollow {
  /** Latest status (null until the first event). */
  readonly status: Signal<JobStatusDto | null>;
  /** True once the job completed or failed; the stream is closed then. */
  readonly finished: Signal<boolean>;
  /** A readable reason when updates are interrupted (the last status stays visible). */
  readonly problem: Signal<string | null>;
  stop(): void;
}

const TERMINAL_STATES: ReadonlySet<string> = new Set(['completed', 'failed']);

/**
 * Follows a job's progress through `GET /api/jobs/:queue/:id/events` (Server-Sent Events).
 * EventSource cannot send headers, so the access token travels as `?access_token=`; a stream refused
 * because the token expired is reopened once after a refresh. This is the one place that talks SSE.
 */
@Injectable({ providedIn: 'root' })
export class JobEvents {
  private readonly auth = inject(AuthStore);

  /**
   * @param eventsUrl the `eventsUrl` from a 202 job answer, e.g. `/api/jobs/music-generation/<id>/events`
   * @param destroyRef closes the stream with the caller (defaults to the injection context's)
   */
  follow(eventsUrl: string, destroyRef: DestroyRef | null = inject(DestroyRef, { optional: true })): JobFollow {
    const status = signal<JobStatusDto | null>(null);
    const problem = signal<string | null>(null);
    const finished = computed(() => TERMINAL_STATES.has(status()?.state ?? ''));
    let source: EventSource | null = null;
    let stopped = false;
    let refreshedOnce = false;

    const stop = () => {
      stopped = true;
      source?.close();
      source = null;
    };

    const open = () => {
      if (stopped) return;
      const es = new EventSource(this.withToken(eventsUrl));
      source = es;
      es.addEventListener('status', (event) => {
        const next = JSON.parse((event as MessageEvent<string>).data) as JobStatusDto;
        status.set(next);
        problem.set(null);
        if (TERMINAL_STATES.has(next.state)) stop();
      });
      es.addEventListener('error', (event) => {
        // The server's own `error` events carry data: a transient status read failure; it keeps polling.
        if (event instanceof MessageEvent && typeof event.data === 'string' && event.data !== '') {
          problem.set(readDetail(event.data) ?? 'Job status is temporarily unavailable.');
          return;
        }
        if (stopped || es.readyState !== EventSource.CLOSED) {
          if (!stopped) problem.set('Connection lost, reconnecting…');
          return;
        }
        // Closed for good: usually an expired token (401). Refresh once and reopen.
        es.close();
        if (refreshedOnce) {
          problem.set('Live updates stopped. Reload the page to see the latest status.');
          return;
        }
        refreshedOnce = true;
        void this.auth.refresh().then((ok) => {
          if (ok) open();
          else problem.set('Your session has expired. Please sign in again.');
        });
      });
    };

    open();
    destroyRef?.onDestroy(stop);
    return { status: status.asReadonly(), finished, problem: problem.asReadonly(), stop };
  }

  private withToken(eventsUrl: string): string {
    const token = this.auth.accessToken();
    if (!token) return eventsUrl;
    const separator = eventsUrl.includes('?') ? '&' : '?';
    return `${eventsUrl}${separator}access_token=${encodeURIComponent(token)}`;
  }
}
