import { Logger } from '@nestjs/common';
import type { PostgresPool } from 'kysely';
import { Pool, type PoolClient, type PoolConfig } from 'pg';

/** How long a lost connection counts as a sign that the pool may hold more broken ones. */
const ERROR_WINDOW_MS = 5 * 60_000;
const MAX_REMEMBERED_ERRORS = 20;

export interface PoolState {
  /** Open connections (idle + in use). */
  total: number;
  idle: number;
  inUse: number;
  /** Queries waiting for a connection. */
  waiting: number;
  max: number;
  /** Connections lost (terminated, reset) within the last five minutes, since the pool was last recreated. */
  recentErrors: number;
  lastError?: string;
  /** How many times the pool has been recreated in this process. */
  generation: number;
}

export interface RecreateResult {
  /** The old pool's connections when it was replaced. */
  before: PoolState;
  /** Old connections still in use after the grace period whose server processes were terminated. */
  terminated: number[];
  /** Old connections still open after that (the server could not be reached to end them). */
  abandoned: number;
}

type PgClient = PoolClient & { processID: number | null };

/**
 * The PostgreSQL pool under Kysely, replaceable while the process runs. Kysely's driver asks it for connections
 * (`connect`), so swapping the pg Pool behind it gives every later query a fresh set of connections; queries that hold
 * an old connection finish on it. That is the "reconnect the database pool" fix: it clears connections left broken
 * by a failover, a network partition (half-open sockets that hang), an exhausted pool of stuck statements.
 */
export class ReconnectablePool implements PostgresPool {
  private pool: Pool;
  private readonly clients = new WeakMap<Pool, Set<PgClient>>();
  private errors: { at: number; message: string }[] = [];
  private generation = 0;
  private readonly logger = new Logger('Database');

  constructor(private readonly options: PoolConfig & { max: number }) {
    this.pool = this.create();
  }

  /** The pg Pool that serves new queries now. */
  get current(): Pool {
    return this.pool;
  }

  connect(): Promise<PoolClient> {
    return this.pool.connect();
  }

  end(): Promise<void> {
    return this.pool.end();
  }

  state(now = Date.now()): PoolState {
    const pool = this.pool;
    this.errors = this.errors.filter((e) => now - e.at < ERROR_WINDOW_MS);
    return {
      total: pool.totalCount,
      idle: pool.idleCount,
      inUse: pool.totalCount - pool.idleCount,
      waiting: pool.waitingCount,
      max: this.options.max,
      recentErrors: this.errors.length,
      lastError: this.errors.at(-1)?.message,
      generation: this.generation,
    };
  }

  /** `select 1` through the current pool within `timeoutMs` (waiting for a free connection counts); null when it answered. */
  async probe(timeoutMs: number): Promise<string | null> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<string>((resolve) => {
      timer = setTimeout(() => resolve(`select 1 did not answer within ${timeoutMs} ms`), timeoutMs);
    });
    const query = this.pool.query('select 1').then(
      () => null,
      (error: Error) => `select 1 failed: ${error.message}`,
    );
    try {
      return await Promise.race([query, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Puts a new pool in place at once, then closes the old one: idle connections now, connections in use when their
   * query ends. Those still in use after `graceMs` have their server process terminated (through the new pool), which
   * ends the statement holding them; a connection the server cannot be reached for is left to the OS's TCP timeout
   * (it no longer takes a slot from new queries).
   */
  async recreate(graceMs: number): Promise<RecreateResult> {
    const before = this.state();
    const old = this.pool;
    this.pool = this.create();
    this.generation += 1;
    this.errors = [];
    const ended = old.end().then(() => true);
    const inTime = await Promise.race([ended, new Promise<false>((resolve) => setTimeout(() => resolve(false), graceMs).unref())]);
    let terminated: number[] = [];
    if (!inTime) {
      const pids = [...(this.clients.get(old) ?? [])].map((c) => c.processID).filter((pid): pid is number => typeof pid === 'number');
      if (pids.length) {
        const result = await this.pool
          .query<{ pid: number }>('select pid from unnest($1::int[]) as pid where pg_terminate_backend(pid)', [pids])
          .catch((error: Error) => {
            this.logger.warn(`Could not terminate the old pool's connections: ${error.message}`);
            return { rows: [] };
          });
        terminated = result.rows.map((r) => r.pid);
        // the terminated connections close as their errors arrive
        for (let waited = 0; old.totalCount > 0 && waited < 2000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
    const abandoned = old.totalCount;
    this.logger.warn(
      `Database pool recreated (generation ${this.generation}): the old pool had ${before.total} connection(s), ${before.inUse} in use; ` +
        `${terminated.length} terminated after ${graceMs} ms, ${abandoned} left to time out`,
    );
    return { before, terminated, abandoned };
  }

  private create(): Pool {
    const pool = new Pool(this.options);
    const clients = new Set<PgClient>();
    this.clients.set(pool, clients);
    // An idle connection that the server drops (restart, failover) must not crash the process: the pool removes it
    // and re-emits the error here. The client's own listener below has recorded it already.
    pool.on('error', () => undefined);
    // A checked-out connection that is terminated between two queries (pg_terminate_backend, failover) emits 'error'
    // on its client, where the pool no longer listens: without this the process dies. The pool drops that client.
    pool.on('connect', (client) => {
      clients.add(client as PgClient);
      client.on('error', (error) => {
        this.logger.warn(`PostgreSQL connection lost: ${error.message}`);
        // the old pool's connections end (or are terminated) on purpose after a recreate: not a sign of trouble
        if (pool !== this.pool) return;
        this.errors.push({ at: Date.now(), message: error.message });
        if (this.errors.length > MAX_REMEMBERED_ERRORS) this.errors.shift();
      });
    });
    pool.on('remove', (client) => clients.delete(client as PgClient));
    return pool;
  }
}
