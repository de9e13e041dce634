import type { MessageEvent } from '@nestjs/common';
import { Observable } from 'rxjs';

/** The event a stream sends while its source does not answer; never `error`, which EventSource keeps for itself. */
export const UNAVAILABLE_EVENT = 'unavailable';

/** What a polling Server-Sent-Events stream reads, and how often. */
export interface PolledEvents<T> {
  /** Reads the current state or the next items. A rejection counts as transient: reported, then read again. */
  read(): Promise<T>;
  /** The events one read produces (none when there is nothing new). */
  events(value: T): MessageEvent[];
  /** Ends the stream after this value's events (a job that completed). */
  isFinal?(value: T): boolean;
  /** A failed read that ends the stream instead of being retried: what it watches is gone (a deleted job's 404). */
  isGone?(error: unknown): boolean;
  /** A value read before the stream opened (so that a 404 is still an HTTP answer); sent first, then polling starts. */
  first?: T;
  /** Pause between reads, in ms. */
  intervalMs: number;
  /** Longest pause while reads keep failing, in ms (the pause doubles per failure from 2 × intervalMs). Default 10 × intervalMs. */
  maxBackoffMs?: number;
  /** Drops an event whose type and data equal the last one sent of that type: a state stream sends a state when it changes. */
  skipUnchanged?: boolean;
  /** Ends the stream when aborted: `ShutdownSignal.signal`, so that an open stream does not hold the server's close. */
  endOn: AbortSignal;
}

/**
 * Turns "read the next state or items every N ms" into a Server-Sent-Events stream for an `@Sse()` route. A failed
 * read sends an `unavailable` event carrying `{ detail }` and is retried with backoff; the stream keeps going
 * until `isFinal` says so, a read fails in a way `isGone` says is final, the server shuts down (`endOn`), or the client
 * disconnects, which clears the pending timer.
 */
export function pollingEventStream<T>(source: PolledEvents<T>): Observable<MessageEvent> {
  const maxBackoffMs = source.maxBackoffMs ?? source.intervalMs * 10;
  return new Observable<MessageEvent>((subscriber) => {
    let timer: NodeJS.Timeout | undefined;
    let failures = 0;
    const lastSent = new Map<string, string>();

    const schedule = (ms: number) => {
      if (!subscriber.closed) timer = setTimeout(poll, ms);
    };

    /** Sends a read's events; false when the stream ended with them. */
    const deliver = (value: T): boolean => {
      for (const event of source.events(value)) {
        if (source.skipUnchanged) {
          const type = event.type ?? 'message';
          const data = JSON.stringify(event.data);
          if (lastSent.get(type) === data) continue;
          lastSent.set(type, data);
        }
        subscriber.next(event);
      }
      if (!source.isFinal?.(value)) return true;
      subscriber.complete();
      return false;
    };

    function poll(): void {
      source
        .read()
        .then(
          (value) => {
            if (subscriber.closed) return;
            failures = 0;
            if (deliver(value)) schedule(source.intervalMs);
          },
          (err: unknown) => {
            if (subscriber.closed) return;
            // The client's reconnect then meets the same answer as an HTTP status (a 404) and stops.
            if (source.isGone?.(err)) return subscriber.complete();
            failures += 1;
            subscriber.next({ type: UNAVAILABLE_EVENT, data: { detail: err instanceof Error ? err.message : 'The source did not answer.' } });
            schedule(Math.min(maxBackoffMs, source.intervalMs * 2 ** failures));
          },
        )
        // a throwing `events` or `isFinal` is a bug: it ends this stream, never the process
        .catch((err: unknown) => subscriber.error(err));
    }

    const end = () => subscriber.complete();
    if (source.endOn.aborted) {
      end();
      return undefined;
    }
    source.endOn.addEventListener('abort', end, { once: true });
    if (source.first === undefined) poll();
    else if (deliver(source.first)) schedule(source.intervalMs);
    return () => {
      clearTimeout(timer);
      source.endOn.removeEventListener('abort', end);
    };
  });
}
