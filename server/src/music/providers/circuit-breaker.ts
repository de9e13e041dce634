/**
 * Circuit breaker for an external provider: after `failureThreshold` consecutive failures the circuit
 * opens and calls fail fast; after `resetAfterMs` one trial call is let through (half-open) — success
 * closes the circuit, failure opens it again.
 */
export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  failureThreshold: number;
  resetAfterMs: number;
  /** Clock in ms (tests pass a fake one). */
  now?: () => number;
}

export class CircuitOpenError extends Error {
  override readonly name = 'CircuitOpenError';
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private opened = false;
  private trialInFlight = false;
  private readonly now: () => number;

  constructor(private readonly options: CircuitBreakerOptions) {
    this.now = options.now ?? Date.now;
  }

  get state(): CircuitState {
    if (!this.opened) return 'closed';
    return this.now() - this.openedAt >= this.options.resetAfterMs ? 'half-open' : 'open';
  }

  /** Runs `call` unless the circuit is open; a half-open circuit admits one trial at a time. */
  async execute<T>(call: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.trialInFlight)) {
      const retryInSec = Math.max(0, Math.ceil((this.openedAt + this.options.resetAfterMs - this.now()) / 1000));
      throw new CircuitOpenError(`circuit open after ${this.failures} consecutive failures; next trial in ${retryInSec} s`);
    }
    const trial = state === 'half-open';
    if (trial) this.trialInFlight = true;
    try {
      const result = await call();
      this.failures = 0;
      this.opened = false;
      return result;
    } catch (error) {
      this.failures++;
      if (trial || this.failures >= this.options.failureThreshold) {
        this.opened = true;
        this.openedAt = this.now();
      }
      throw error;
    } finally {
      if (trial) this.trialInFlight = false;
    }
  }
}
