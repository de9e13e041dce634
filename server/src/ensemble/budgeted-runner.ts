/** Something the runner can run: queued once however often it is requested before it runs. */
export interface RunnableTask {
  run(): void;
}

/**
 * Runs deferrable work in slices of at most about `budgetMs` of the event loop, yielding to I/O between slices.
 *
 * The rooms' accompanists plan a beat ahead, so a few milliseconds more before one plans costs nothing audible,
 * while a player's note read from its socket behind twenty rooms' planning waits for all of it: timers that fall due
 * together run back to back in one timers phase, without the poll phase in between. Queued tasks instead run from
 * `setImmediate`, in request order, until the slice has used its budget; the rest wait for the next turn, after the
 * sockets have been read and the notes relayed. A task longer than the budget still runs whole (it is not split).
 */
export class BudgetedRunner {
  private readonly queued = new Set<RunnableTask>();
  private scheduled = false;

  constructor(
    private readonly budgetMs: number,
    /** A task that throws is reported here; the others still run. */
    private readonly onError: (error: unknown) => void,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Queues the task to run soon (once, however often it is requested before it runs). */
  request(task: RunnableTask): void {
    this.queued.add(task);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.slice);
    }
  }

  /** Drops the task if it has not run yet. */
  cancel(task: RunnableTask): void {
    this.queued.delete(task);
  }

  get pending(): number {
    return this.queued.size;
  }

  private readonly slice = (): void => {
    const start = this.now();
    for (const task of this.queued) {
      this.queued.delete(task);
      try {
        task.run();
      } catch (error) {
        this.onError(error);
      }
      if (this.now() - start >= this.budgetMs) break;
    }
    this.scheduled = this.queued.size > 0;
    if (this.scheduled) setImmediate(this.slice);
  };
}
