import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';
import { backoffDelayMs, classifyAttemptFailure, nextRetryDelayMs, parseRetryAfterMs } from './retry-policy';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const policy = { maxRetries: 3, baseDelayMs: 500, maxDelayMs: 30_000 };
const statusError = (status: number, headers: Record<string, string> = {}) => APIError.generate(status, { message: 'x' }, undefined, new Headers(headers));

describe('retry policy', () => {
  it.each([
    [429, 'rate_limited', true],
    [500, 'upstream', true],
    [503, 'upstream', true],
    [400, 'upstream', false],
    [401, 'upstream', false],
    [403, 'upstream', false],
    [408, 'upstream', false],
    [409, 'upstream', false],
  ] as const)('classifies HTTP %i as %s, retryable=%s', (status, reason, retryable) => {
    expect(classifyAttemptFailure(statusError(status))).toMatchObject({ reason, retryable });
  });

  it('retries timeouts and connection errors but not a caller abort', () => {
    expect(classifyAttemptFailure(new APIConnectionTimeoutError())).toMatchObject({ reason: 'timeout', retryable: true });
    expect(classifyAttemptFailure(new APIConnectionError({ message: 'ECONNREFUSED' }))).toMatchObject({ reason: 'upstream', retryable: true });
    expect(classifyAttemptFailure(new APIUserAbortError())).toMatchObject({ reason: 'timeout', retryable: false, aborted: true });
  });

  it('reads Retry-After as seconds, as an HTTP date, and prefers retry-after-ms', () => {
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '2' }), NOW)).toBe(2_000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': new Date(NOW + 5_000).toUTCString() }), NOW)).toBe(5_000);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': '2', 'retry-after-ms': '150' }), NOW)).toBe(150);
    expect(parseRetryAfterMs(new Headers({ 'retry-after': 'soon' }), NOW)).toBeUndefined();
    expect(parseRetryAfterMs(new Headers(), NOW)).toBeUndefined();
  });

  it('waits what a 429 asks for, within the longest wait', () => {
    const failure = classifyAttemptFailure(statusError(429, { 'retry-after': '3' }), NOW);
    expect(nextRetryDelayMs(failure, 0, policy)).toBe(3_000);
    expect(nextRetryDelayMs(failure, 0, { ...policy, maxDelayMs: 2_000 })).toBeNull();
  });

  it('doubles the backoff per retry with jitter in the upper half, capped', () => {
    expect(backoffDelayMs(0, 500, 30_000, () => 0)).toBe(250);
    expect(backoffDelayMs(0, 500, 30_000, () => 1)).toBe(500);
    expect(backoffDelayMs(3, 500, 30_000, () => 0)).toBe(2_000);
    expect(backoffDelayMs(3, 500, 30_000, () => 1)).toBe(4_000);
    expect(backoffDelayMs(20, 500, 30_000, () => 1)).toBe(30_000);
  });

  it('stops when the retries are used up or the failure is final', () => {
    expect(nextRetryDelayMs(classifyAttemptFailure(statusError(500)), 3, policy)).toBeNull();
    expect(nextRetryDelayMs(classifyAttemptFailure(statusError(401)), 0, policy)).toBeNull();
  });
});
