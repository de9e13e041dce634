import { BudgetedRunner, type RunnableTask } from './budgeted-runner';

/** Runs the event loop until every immediate queued so far (and those they queue) has run. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('BudgetedRunner', () => {
  let clock = 0;
  const task = (name: string, costMs: number, log: string[]): RunnableTask => ({
    run: () => {
      log.push(name);
      clock += costMs;
    },
  });

  const fail = (error: unknown) => {
    throw error;
  };

  beforeEach(() => (clock = 0));

  it('runs a task requested several times once, on a later turn, not inside the caller', async () => {
    const log: string[] = [];
    const runner = new BudgetedRunner(1, fail, () => clock);
    const a = task('a', 0, log);
    runner.request(a);
    runner.request(a);
    expect(log).toEqual([]);
    await turn();
    expect(log).toEqual(['a']);
    expect(runner.pending).toBe(0);
  });

  it('stops a slice once its budget is spent and lets I/O callbacks run before the rest', async () => {
    const log: string[] = [];
    const runner = new BudgetedRunner(1, fail, () => clock);
    for (const name of ['a', 'b', 'c', 'd']) runner.request(task(name, 0.6, log));
    // An I/O callback that becomes ready meanwhile (a player's note read from its socket).
    setImmediate(() => log.push('io'));
    await turn();
    expect(log).toEqual(['a', 'b', 'io']);
    await turn();
    expect(log).toEqual(['a', 'b', 'io', 'c', 'd']);
  });

  it('runs a task longer than the budget whole, and keeps request order', async () => {
    const log: string[] = [];
    const runner = new BudgetedRunner(1, fail, () => clock);
    runner.request(task('long', 5, log));
    runner.request(task('next', 0, log));
    await turn();
    expect(log).toEqual(['long']);
    await turn();
    expect(log).toEqual(['long', 'next']);
  });

  it('drops a cancelled task', async () => {
    const log: string[] = [];
    const runner = new BudgetedRunner(1, fail, () => clock);
    const a = task('a', 0, log);
    runner.request(a);
    runner.request(task('b', 0, log));
    runner.cancel(a);
    await turn();
    expect(log).toEqual(['b']);
  });

  it('reports a task that throws and runs the others', async () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const runner = new BudgetedRunner(
      1,
      (error) => errors.push(error),
      () => clock,
    );
    runner.request({
      run: () => {
        throw new Error('boom');
      },
    });
    runner.request(task('after', 0, log));
    await turn();
    expect(log).toEqual(['after']);
    expect(errors).toEqual([new Error('boom')]);
  });
});
