import { join } from 'node:path';
import { WorkerPool, WorkerPoolBusyError, WorkerTaskError } from './worker-pool';

type Task = { op: 'spin'; ms: number } | { op: 'echo'; value: unknown } | { op: 'fail' } | { op: 'exit' };

const script = join(__dirname, '../../../test/support/pool-test-worker');

describe('WorkerPool', () => {
  let pool: WorkerPool<Task | string, unknown>;
  afterEach(() => pool.close());

  it('runs tasks in threads while the event loop stays free', async () => {
    pool = new WorkerPool({ script, size: 1, timeoutMs: 20_000, maxQueue: 4 });
    await pool.run({ op: 'echo', value: 1 }); // thread start-up is not part of what is measured
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const result = await pool.run({ op: 'spin', ms: 400 });
    clearInterval(timer);
    expect(result).toEqual({ spun: 400, x: true });
    // A CPU-bound 400 ms task on the main thread would have let no timer fire.
    expect(ticks).toBeGreaterThanOrEqual(10);
  });

  it('returns results in order of the calls and carries a thrown error back with its name and code', async () => {
    pool = new WorkerPool({ script, size: 2, timeoutMs: 20_000, maxQueue: 8 });
    const results = await Promise.all([1, 2, 3, 4].map((value) => pool.run({ op: 'echo', value: { value } })));
    expect(results).toEqual([{ value: 1 }, { value: 2 }, { value: 3 }, { value: 4 }]);
    const error = (await pool.run({ op: 'fail' }).catch((e: unknown) => e)) as WorkerTaskError;
    expect(error).toBeInstanceOf(WorkerTaskError);
    expect(error).toMatchObject({ remoteName: 'TypedError', code: 'bad-input', message: 'the input was bad' });
    expect(await pool.run({ op: 'echo', value: 'still works' })).toBe('still works');
  });

  it("does not count a thread's slow start against its first task", async () => {
    pool = new WorkerPool({ script: join(__dirname, '../../../test/support/pool-slow-start-worker'), size: 1, timeoutMs: 500, maxQueue: 4 });
    expect(await pool.run('after a 2 s start')).toBe('after a 2 s start');
  });

  it('replaces a thread that dies or overruns its time, failing only that task', async () => {
    // A cold thread's module loading does not count against the task's 1.5 s, however busy the machine.
    pool = new WorkerPool({ script, size: 1, timeoutMs: 1_500, maxQueue: 4 });
    await expect(pool.run({ op: 'exit' })).rejects.toMatchObject({ remoteName: 'crash' });
    await expect(pool.run({ op: 'spin', ms: 5_000 })).rejects.toMatchObject({ remoteName: 'timeout' });
    expect(await pool.run({ op: 'echo', value: 7 })).toBe(7);
  });

  it('refuses work beyond its queue instead of piling it up', async () => {
    pool = new WorkerPool({ script, size: 1, timeoutMs: 20_000, maxQueue: 1 });
    const running = pool.run({ op: 'spin', ms: 300 });
    const queued = pool.run({ op: 'echo', value: 'queued' });
    await expect(pool.run({ op: 'echo', value: 'refused' })).rejects.toBeInstanceOf(WorkerPoolBusyError);
    await expect(running).resolves.toEqual({ spun: 300, x: true });
    await expect(queued).resolves.toBe('queued');
  });
});
