import type { ReconnectablePool } from '../../core/db/database-pool';
import type { FixAction, FixChange } from './fix-actions';

/** How long statements holding the old database pool's connections may finish before they are terminated. */
export const POOL_GRACE_MS = 5000;
const POOL_PROBE_MS = 2000;

export type DatabasePoolHandle = Pick<ReconnectablePool, 'state' | 'probe' | 'recreate'>;

/** What is wrong with the database pool, or null when it looks healthy (no waiters, no lost connections, select 1 answers). */
export async function poolTrouble(pool: DatabasePoolHandle): Promise<string | null> {
  const s = pool.state();
  if (s.waiting > 0 && s.total >= s.max) return `the pool is exhausted: ${s.inUse} of ${s.max} connections in use, ${s.waiting} queries waiting`;
  if (s.recentErrors > 0) return `${s.recentErrors} connection(s) lost in the last 5 minutes (last: ${s.lastError})`;
  return pool.probe(POOL_PROBE_MS);
}

const describe = (pool: DatabasePoolHandle) => {
  const s = pool.state();
  return `${s.total} connection(s), ${s.inUse} in use, ${s.waiting} waiting`;
};

/**
 * reconnect-database: replace this process's PostgreSQL pool (core/db/database-pool.ts) when it is exhausted, has
 * lost connections or does not answer `select 1`. `pool()` is undefined on embedded PGlite, which has no pool.
 * Not reversible: the old connections are gone, and there is nothing to go back to.
 */
export function reconnectDatabaseAction(pool: () => DatabasePoolHandle | undefined): FixAction {
  return {
    id: 'reconnect-database',
    reversible: false,
    precondition: async () => {
      const p = pool();
      if (!p) return 'the embedded PGlite database runs inside this process: there is no connection pool to reconnect (restart the process if it is wedged)';
      if (await poolTrouble(p)) return null;
      const s = p.state();
      return `the database pool is healthy: ${s.total} connection(s), ${s.idle} idle, no query waiting, none lost in the last 5 minutes, select 1 answers`;
    },
    plan: async () => {
      const p = pool()!;
      const trouble = (await poolTrouble(p)) ?? 'none found';
      const s = p.state();
      const changes: FixChange[] = [{ what: 'replace connection pool', target: 'postgres', from: describe(p), to: `a new pool (up to ${s.max} connections)` }];
      if (s.inUse > 0)
        changes.push({ what: `terminate statements still holding old connections after ${POOL_GRACE_MS / 1000} s`, target: 'postgres', from: s.inUse, to: 0 });
      return {
        summary:
          `this process's database pool (${describe(p)}) would be replaced by a new one: idle connections closed at once, ` +
          `connections in use when their statement ends or terminated after ${POOL_GRACE_MS / 1000} s. Trouble: ${trouble}`,
        changes,
      };
    },
    apply: async () => {
      const p = pool()!;
      const result = await p.recreate(POOL_GRACE_MS);
      const failure = await p.probe(POOL_PROBE_MS);
      const left = result.abandoned ? `, ${result.abandoned} left to time out` : '';
      const changes: FixChange[] = [
        {
          what: 'replace connection pool',
          target: 'postgres',
          from: `${result.before.total} connection(s), ${result.before.inUse} in use, ${result.before.waiting} waiting`,
          to: failure ? `new pool: ${failure}` : `new pool (${describe(p)})`,
        },
      ];
      if (result.terminated.length) changes.push({ what: 'terminate backend', target: 'postgres', from: result.terminated, to: 'terminated' });
      return {
        ok: failure === null,
        detail:
          `database pool recreated: the old pool's ${result.before.total} connection(s) closed, ${result.terminated.length} terminated after ` +
          `${POOL_GRACE_MS / 1000} s${left}; ${failure ?? 'select 1 answers on the new pool'}`,
        changes,
      };
    },
  };
}
