import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { Inject } from '@nestjs/common';
import { type CompiledQuery, Kysely, Migrator, PostgresDialect } from 'kysely';
import type { QueryResultRow } from 'pg';
import { ReconnectablePool } from './database-pool';
import { MIGRATIONS } from './migrations';
import { PGliteDialect } from './pglite-dialect';
import type { DB } from './schema';

export type Database = Kysely<DB>;
export const DATABASE = Symbol('DATABASE');
/** Injects the Kysely instance; only repositories use it. */
export const InjectDatabase = () => Inject(DATABASE);

export interface DatabaseTarget {
  /** PostgreSQL URL; undefined → embedded PGlite under `dataDir`. */
  url?: string;
  dataDir: string;
}

/** The pg pool under each Kysely instance opened on PostgreSQL (PGlite has none). */
const pools = new WeakMap<Database, ReconnectablePool>();

/** The replaceable pool under a database opened on PostgreSQL; undefined on embedded PGlite, which has no pool. */
export function databasePool(db: Database): ReconnectablePool | undefined {
  return pools.get(db);
}

/**
 * A single-row read that Kysely compiled once, run with fresh parameters. On PostgreSQL it goes straight to the pool
 * Kysely uses, as a named prepared statement (parsed and planned once per connection); on PGlite through Kysely.
 * It is for hot, single-statement reads outside transactions (the identity lookup behind every authenticated read):
 * Kysely's executor, connection provider and drivers wrap each query in about 13 promises, which cost more than the
 * query's own client work while the request context (AsyncLocalStorage) adds promise hooks (docs/performance.md).
 */
export class PreparedRead<R extends QueryResultRow> {
  private readonly pool: ReconnectablePool | undefined;

  /** `name` identifies the statement on each connection: one name per SQL text. */
  constructor(
    private readonly db: Database,
    private readonly name: string,
    private readonly query: CompiledQuery<R>,
  ) {
    this.pool = pools.get(db);
  }

  /** The first row the query returns with these parameters, or undefined. */
  first(parameters: readonly unknown[]): Promise<R | undefined> {
    const pool = this.pool?.current;
    if (!pool) return this.db.executeQuery<R>({ ...this.query, parameters }).then((result) => result.rows[0]);
    return new Promise((resolve, reject) => {
      pool.query<R>({ name: this.name, text: this.query.sql, values: [...parameters] }, (error, result) => (error ? reject(error) : resolve(result.rows[0])));
    });
  }
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.url) {
    const pool = new ReconnectablePool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 5000 });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    pools.set(db, pool);
    return db;
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const directory = join(target.dataDir, 'pglite');
  mkdirSync(directory, { recursive: true });
  const pglite = await PGlite.create(directory);
  return new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
}

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrate(db: Database): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve(MIGRATIONS) } });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === 'Error');
  if (error) {
    const name = failed ? ` (${failed.migrationName})` : '';
    throw new Error(`Database migration failed${name}: ${error instanceof Error ? error.message : inspect(error)}`);
  }
  return (results ?? []).map((r) => r.migrationName);
}
