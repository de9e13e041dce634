import { DestroyRef, Injectable, Signal, inject, signal } from '@angular/core';
import { AuthStore } from '../auth/auth.store';

/** What the user reads while a stream is interrupted, in the words of the feature that follows it. */
export interface EventStreamMessages {
  /** The server sent `unavailable` without a `detail`: it cannot read its source right now and keeps retrying. */
  readonly unavailable: string;
  /** The stream was refused again after a token refresh: nothing more will arrive. */
  readonly stopped: string;
}

export interface EventStreamOptions<E extends Record<string, unknown>> {
  /** One handler per server event name, called with the event's JSON data. */
  readonly on: { readonly [K in keyof E]: (data: E[K]) => void };
  readonly messages: EventStreamMessages;
  /** Closes the stream together with its owner. */
  readonly destroyRef?: DestroyRef | null;
}

/** A Server-Sent-Events stream being followed. */
export interface EventStream {
  /** Why updates are interrupted, for the user; null while they flow. */
  readonly problem: Signal<string | null>;
  /** True once the stream gave up (refused after a refresh, or the session ended); `close()` does not set it. */
  readonly stopped: Signal<boolean>;
  readonly close: () => void;
}

const RECONNECTING = 'Connection lost, reconnecting…';
const SESSION_EXPIRED = 'Your session has expired. Please sign in again.';
/** How long a stream waits before trying again when the server could not renew the session (it is restarting). */
export const STREAM_RETRY_MS = 5_000;

/** The `detail` of the JSON data an `unavailable` event carries, if it has one. */
function readDetail(data: string): string | undefined {
  try {
    const parsed = JSON.parse(data) as { detail?: unknown };
    return typeof parsed.detail === 'string' ? parsed.detail : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Opens authenticated Server-Sent-Events streams; the one place that talks to EventSource.
 *
 * EventSource cannot send headers, so the access token travels as `?access_token=`. The browser reconnects
 * by itself after a network blip (reported as "reconnecting"); a stream it closed for good was usually
 * refused because the token in its URL expired, so it is reopened once after a refresh. Servers report a
 * transient failure to read their source as an `unavailable` event with `{ detail }`: a server event named
 * `error` would be indistinguishable from EventSource's own `error`, which here only means connection state.
 */
@Injectable({ providedIn: 'root' })
export class EventStreams {
  private readonly auth = inject(AuthStore);

  /** @param url the stream's URL without the token, e.g. `/api/jobs/music-generation/<id>/events` */
  open<E extends Record<string, unknown>>(url: string, options: EventStreamOptions<E>): EventStream {
    const problem = signal<string | null>(null);
    const stopped = signal(false);
    let source: EventSource | null = null;
    let closed = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    // Set when the last refusal led to a refresh; a refusal before the reopened stream connects ends it.
    let refreshed = false;

    const close = () => {
      closed = true;
      clearTimeout(retry);
      source?.close();
      source = null;
    };
    const giveUp = (why: string) => {
      close();
      problem.set(why);
      stopped.set(true);
    };
    const afterRefresh = (ok: boolean) => {
      if (closed) return;
      if (ok) connect();
      else if (!this.auth.isAuthenticated()) giveUp(SESSION_EXPIRED);
      else {
        // The session stands but could not be renewed (the server is unreachable or restarting): try again shortly.
        problem.set(RECONNECTING);
        retry = setTimeout(() => {
          refreshed = false;
          if (!closed) connect();
        }, STREAM_RETRY_MS);
      }
    };

    const connect = () => {
      const es = new EventSource(this.auth.withAccessToken(url));
      source = es;
      for (const name of Object.keys(options.on) as (keyof E & string)[]) {
        const handle = options.on[name];
        es.addEventListener(name, (event) => {
          problem.set(null);
          handle(JSON.parse((event as MessageEvent<string>).data) as E[typeof name]);
        });
      }
      es.addEventListener('unavailable', (event) => {
        problem.set(readDetail((event as MessageEvent<string>).data) ?? options.messages.unavailable);
      });
      es.addEventListener('open', () => {
        refreshed = false;
        problem.set(null);
      });
      es.addEventListener('error', () => {
        if (closed) return;
        if (es.readyState !== EventSource.CLOSED) {
          problem.set(RECONNECTING);
          return;
        }
        if (refreshed) {
          giveUp(options.messages.stopped);
          return;
        }
        refreshed = true;
        this.auth.refresh().then(afterRefresh, () => giveUp(options.messages.stopped));
      });
    };

    const stream = { problem: problem.asReadonly(), stopped: stopped.asReadonly(), close };
    // An owner destroyed before the stream opened (a response that came after leaving the page) gets a closed stream.
    if (options.destroyRef?.destroyed) {
      closed = true;
      return stream;
    }
    options.destroyRef?.onDestroy(close);
    connect();
    return stream;
  }
}
