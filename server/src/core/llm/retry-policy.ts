import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import type { LanguageModelFailureReason } from './language-model.error';

/** What one failed HTTP attempt means for the next one. */
export interface AttemptFailure {
  reason: Exclude<LanguageModelFailureReason, 'not_configured' | 'invalid_output'>;
  /** Worth another attempt: 429, 5xx, a timeout or a connection error. Never other 4xx or a caller abort. */
  retryable: boolean;
  /** The wait the server asked for (Retry-After / retry-after-ms), in milliseconds. */
  retryAfterMs?: number;
  /** Short, secret-free description for logs and error messages. */
  detail: string;
  /** The caller's AbortSignal fired: stop at once. */
  aborted?: boolean;
}

/** Our own per-attempt timer fired (the SDK's timeout classification is unreliable across realms). */
export const ATTEMPT_TIMED_OUT: AttemptFailure = { reason: 'timeout', retryable: true, detail: 'request timed out' };

/** Sorts an error thrown by the `openai` client (created with maxRetries 0) into our retry policy. */
export function classifyAttemptFailure(error: unknown, now: number = Date.now()): AttemptFailure {
  if (error instanceof APIUserAbortError) {
    return { reason: 'timeout', retryable: false, aborted: true, detail: 'aborted by the caller' };
  }
  if (error instanceof APIConnectionTimeoutError) return ATTEMPT_TIMED_OUT;
  if (error instanceof APIConnectionError) {
    return { reason: 'upstream', retryable: true, detail: 'connection failed' };
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const status = error.status;
    if (status === 429) {
      return {
        reason: 'rate_limited',
        retryable: true,
        // instanceof cannot infer APIError's type parameters; its headers are a fetch Headers or absent
        retryAfterMs: parseRetryAfterMs(error.headers as Headers | undefined, now),
        detail: 'HTTP 429 rate limited',
      };
    }
    if (status >= 500) return { reason: 'upstream', retryable: true, detail: `HTTP ${status}` };
    return { reason: 'upstream', retryable: false, detail: `HTTP ${status}` };
  }
  // A 2xx body that is not a chat completion, a TypeError from a proxy's HTML page...: not transient.
  return { reason: 'upstream', retryable: false, detail: 'unexpected response' };
}

/**
 * The server's requested wait in milliseconds: `retry-after-ms` (OpenAI's extension), else
 * `Retry-After` as delta-seconds or an HTTP date. Undefined when absent or unreadable.
 */
export function parseRetryAfterMs(headers: Headers | undefined, now: number = Date.now()): number | undefined {
  if (!headers) return undefined;
  const millis = headers.get('retry-after-ms');
  if (millis !== null && millis.trim() !== '') {
    const value = Number(millis);
    if (Number.isFinite(value) && value >= 0) return value;
  }
  const header = headers.get('retry-after');
  if (header === null || header.trim() === '') return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential backoff with "equal jitter": half of base·2^retry fixed, the other half random, capped
 * at maxDelayMs. `retry` counts from 0 for the first retry. Returns milliseconds.
 */
export function backoffDelayMs(retry: number, baseDelayMs: number, maxDelayMs: number, random: () => number = Math.random): number {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** retry);
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/**
 * How long to wait before the next attempt, or null to give up now: not retryable, out of retries,
 * or the server asks for a wait longer than maxDelayMs.
 */
export function nextRetryDelayMs(
  failure: AttemptFailure,
  retriesUsed: number,
  policy: { maxRetries: number; baseDelayMs: number; maxDelayMs: number },
  random: () => number = Math.random,
): number | null {
  if (!failure.retryable || retriesUsed >= policy.maxRetries) return null;
  if (failure.retryAfterMs !== undefined) {
    return failure.retryAfterMs <= policy.maxDelayMs ? failure.retryAfterMs : null;
  }
  return backoffDelayMs(retriesUsed, policy.baseDelayMs, policy.maxDelayMs, random);
}

/** The signal's reason when it is an Error (as `abort()` makes it), else an Error carrying it as the cause. */
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error('aborted', { cause: reason });
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      if (signal) reject(abortError(signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
