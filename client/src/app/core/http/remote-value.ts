import { Signal, computed, signal } from '@angular/core';
import { Problem, toProblem } from '../errors/problem';

interface RemoteState<T> {
  value: T | undefined;
  loading: boolean;
  problem: Problem | null;
}

/**
 * One value fetched from the server, as signals: `value`, `loading`, `problem`.
 * A reload keeps showing the previous value; an answer that arrives after a newer request started is dropped.
 */
export class RemoteValue<T> {
  private readonly state = signal<RemoteState<T>>({ value: undefined, loading: false, problem: null });
  private generation = 0;

  readonly value: Signal<T | undefined> = computed(() => this.state().value);
  readonly loading: Signal<boolean> = computed(() => this.state().loading);
  readonly problem: Signal<Problem | null> = computed(() => this.state().problem);
  /** True until the first answer (value or problem) arrived. */
  readonly pending: Signal<boolean> = computed(() => {
    const s = this.state();
    return s.value === undefined && s.problem === null;
  });

  /**
   * Runs `fetch` and stores its result. `recover` may turn an error into a value
   * (a 503 health answer still carries the list of checks); return undefined to keep it an error.
   */
  async load(fetch: () => Promise<T>, recover?: (error: unknown) => T | undefined): Promise<void> {
    const generation = ++this.generation;
    this.state.update((s) => ({ ...s, loading: true }));
    try {
      const value = await fetch();
      if (generation === this.generation) this.state.set({ value, loading: false, problem: null });
    } catch (error: unknown) {
      if (generation !== this.generation) return;
      const recovered = recover?.(error);
      if (recovered !== undefined) this.state.set({ value: recovered, loading: false, problem: null });
      else this.state.update((s) => ({ ...s, loading: false, problem: toProblem(error) }));
    }
  }

  /** Forgets the value (another item was chosen: the old one must not show meanwhile); a pending answer is dropped. */
  clear(): void {
    this.generation++;
    this.state.set({ value: undefined, loading: false, problem: null });
  }

  set(value: T): void {
    this.generation++;
    this.state.set({ value, loading: false, problem: null });
  }
}
