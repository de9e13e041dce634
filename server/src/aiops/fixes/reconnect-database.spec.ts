import type { PoolState, RecreateResult } from '../../core/db/database-pool';
import { type DatabasePoolHandle, POOL_GRACE_MS, reconnectDatabaseAction } from './reconnect-database';

/** The fix takes no target. */
const noTarget: string | undefined = undefined;
/** A pool whose state, probe answer and recreation the test sets. */
class FakePool implements DatabasePoolHandle {
  s: PoolState = { total: 3, idle: 3, inUse: 0, waiting: 0, max: 10, recentErrors: 0, generation: 0 };
  probeAnswer: string | null = null;
  afterRecreate: { state: Partial<PoolState>; probe: string | null; result: Omit<RecreateResult, 'before'> } = {
    state: { total: 1, idle: 1, inUse: 0, waiting: 0, recentErrors: 0 },
    probe: null,
    result: { terminated: [], abandoned: 0 },
  };
  grace?: number;
  state = () => ({ ...this.s });
  probe = () => Promise.resolve(this.probeAnswer);
  recreate = (graceMs: number): Promise<RecreateResult> => {
    this.grace = graceMs;
    const before = this.state();
    this.s = { ...this.s, ...this.afterRecreate.state, generation: this.s.generation + 1 };
    this.probeAnswer = this.afterRecreate.probe;
    return Promise.resolve({ before, ...this.afterRecreate.result });
  };
}

describe('reconnect-database fix', () => {
  it('is not applicable on embedded PGlite, which has no pool', async () => {
    const action = reconnectDatabaseAction(() => undefined);
    expect(await action.precondition(undefined)).toMatch(/PGlite .* no connection pool/);
    expect(action.reversible).toBe(false);
  });

  it('refuses a healthy pool and says why', async () => {
    const pool = new FakePool();
    expect(await reconnectDatabaseAction(() => pool).precondition(undefined)).toBe(
      'the database pool is healthy: 3 connection(s), 3 idle, no query waiting, none lost in the last 5 minutes, select 1 answers',
    );
  });

  it('holds when the pool is exhausted, has lost connections, or select 1 fails', async () => {
    const pool = new FakePool();
    const action = reconnectDatabaseAction(() => pool);
    pool.s = { ...pool.s, total: 10, idle: 0, inUse: 10, waiting: 4 };
    expect(await action.precondition(undefined)).toBeNull();
    expect((await action.plan(undefined)).summary).toContain('the pool is exhausted: 10 of 10 connections in use, 4 queries waiting');

    pool.s = { ...pool.s, total: 9, idle: 9, inUse: 0, waiting: 0, recentErrors: 2, lastError: 'terminating connection due to administrator command' };
    expect(await action.precondition(undefined)).toBeNull();
    expect((await action.plan(undefined)).summary).toContain('2 connection(s) lost in the last 5 minutes (last: terminating connection');

    pool.s = { ...pool.s, recentErrors: 0, lastError: undefined };
    pool.probeAnswer = 'select 1 did not answer within 2000 ms';
    expect(await action.precondition(undefined)).toBeNull();
    // waiting alone (a burst) without a full pool is not exhaustion
    pool.probeAnswer = null;
    pool.s = { ...pool.s, total: 4, idle: 0, inUse: 4, waiting: 2 };
    expect(await action.precondition(undefined)).toMatch(/healthy/);
  });

  it('dry run lists the pool replacement and the statements that would be terminated, changing nothing', async () => {
    const pool = new FakePool();
    pool.s = { ...pool.s, total: 10, idle: 0, inUse: 10, waiting: 4 };
    const plan = await reconnectDatabaseAction(() => pool).plan(undefined);
    expect(plan.changes).toEqual([
      { what: 'replace connection pool', target: 'postgres', from: '10 connection(s), 10 in use, 4 waiting', to: 'a new pool (up to 10 connections)' },
      { what: 'terminate statements still holding old connections after 5 s', target: 'postgres', from: 10, to: 0 },
    ]);
    expect(pool.s.generation).toBe(0);
    expect(pool.grace).toBeUndefined();
  });

  it('applies by recreating the pool and succeeds only when select 1 answers on the new one', async () => {
    const pool = new FakePool();
    pool.s = { ...pool.s, total: 10, idle: 0, inUse: 10, waiting: 4 };
    pool.afterRecreate.result = { terminated: [101, 102], abandoned: 0 };
    const action = reconnectDatabaseAction(() => pool);
    const result = await action.apply(noTarget, await action.plan(undefined));
    expect(pool.grace).toBe(POOL_GRACE_MS);
    expect(result.ok).toBe(true);
    expect(result.detail).toBe("database pool recreated: the old pool's 10 connection(s) closed, 2 terminated after 5 s; select 1 answers on the new pool");
    expect(result.changes).toEqual([
      {
        what: 'replace connection pool',
        target: 'postgres',
        from: '10 connection(s), 10 in use, 4 waiting',
        to: 'new pool (1 connection(s), 0 in use, 0 waiting)',
      },
      { what: 'terminate backend', target: 'postgres', from: [101, 102], to: 'terminated' },
    ]);
    expect(result.undo).toBeUndefined();

    pool.afterRecreate = { state: {}, probe: 'select 1 failed: connect ECONNREFUSED 127.0.0.1:5432', result: { terminated: [], abandoned: 3 } };
    const failed = await action.apply(noTarget, await action.plan(undefined));
    expect(failed.ok).toBe(false);
    expect(failed.detail).toContain('3 left to time out; select 1 failed: connect ECONNREFUSED');
  });
});
