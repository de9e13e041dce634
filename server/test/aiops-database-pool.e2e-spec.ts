import { sql } from 'kysely';
import { Client } from 'pg';
import request from 'supertest';
import { DATABASE, type Database, databasePool } from '../src/core/db/database';
import { FixActions } from '../src/aiops/fixes/fix-actions';
import { eventually, startTestApp, TestApp } from './support/test-app';

jest.setTimeout(120_000);

/** The fix takes no target. */
const noTarget: string | undefined = undefined;
const ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * The reconnect-database fix against the real PostgreSQL: a pool exhausted by stuck statements, and connections
 * terminated from the server side (pg_terminate_backend), are recognised by the precondition, shown by the dry run and
 * repaired by the execution, after which queries answer again. On embedded PGlite the fix does not apply.
 */
describe('reconnect-database fix (e2e, real PostgreSQL)', () => {
  let t: TestApp;
  let db: Database;
  let admin: Client;
  let dbName: string;
  const fix = () => t.app.get(FixActions).get('reconnect-database');
  const selectOne = (ms: number) =>
    Promise.race([
      sql<{ one: number }>`select 1 as one`.execute(db).then((r) => r.rows[0].one),
      new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), ms)),
    ]);
  const backends = async () =>
    (await admin.query<{ pid: number; query: string }>('select pid, query from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]))
      .rows;

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get<Database>(DATABASE);
    dbName = new URL(t.config.DATABASE_URL!).pathname.slice(1);
    admin = new Client({ connectionString: ADMIN_URL });
    await admin.connect();
  });
  afterAll(async () => {
    await admin?.end();
    await t?.close();
  });

  it('refuses a healthy pool', async () => {
    expect(await selectOne(5000)).toBe(1);
    expect(await fix().precondition(undefined)).toMatch(/^the database pool is healthy: \d+ connection\(s\)/);
  });

  it('frees a pool exhausted by stuck statements: queries answer again and the stuck backends are gone', async () => {
    const stuck = Array.from({ length: 10 }, () =>
      sql`select pg_sleep(300)`.execute(db).then(
        () => 'finished',
        (e: Error) => e.message,
      ),
    );
    await eventually(async () => ((await backends()).filter((b) => b.query.includes('pg_sleep(300)')).length === 10 ? true : undefined));
    // no connection is free: a query waits, and the readiness probe fails
    expect(await selectOne(1000)).toBe('timeout');
    await request(t.http).get('/api/health/ready').expect(503);
    const heldPids = (await backends()).filter((b) => b.query.includes('pg_sleep(300)')).map((b) => b.pid);

    const action = fix();
    expect(await action.precondition(undefined)).toBeNull();
    const plan = await action.plan(undefined);
    expect(plan.summary).toContain('the pool is exhausted: 10 of 10 connections in use');
    expect(plan.changes).toEqual([
      expect.objectContaining({
        what: 'replace connection pool',
        target: 'postgres',
        from: expect.stringMatching(/^10 connection\(s\), 10 in use, \d+ waiting$/) as unknown,
      }),
      { what: 'terminate statements still holding old connections after 5 s', target: 'postgres', from: 10, to: 0 },
    ]);
    // the dry run changed nothing
    expect(databasePool(db)!.state()).toMatchObject({ total: 10, inUse: 10, generation: 0 });

    const result = await action.apply(noTarget, plan);
    expect(result.ok).toBe(true);
    expect(result.detail).toMatch(/10 terminated after 5 s; select 1 answers on the new pool$/);
    expect((result.changes[1].from as number[]).sort()).toEqual(heldPids.sort());
    // the stuck statements were ended by the server, their backends are gone, and the platform answers again
    expect(await Promise.all(stuck)).toEqual(Array(10).fill('terminating connection due to administrator command'));
    const left = (await backends()).map((b) => b.pid);
    expect(left.filter((pid) => heldPids.includes(pid))).toEqual([]);
    expect(await selectOne(2000)).toBe(1);
    await request(t.http).get('/api/health/ready').expect(200);
    expect(databasePool(db)!.state()).toMatchObject({ generation: 1, recentErrors: 0 });
    expect(await action.precondition(undefined)).toMatch(/healthy/);
  });

  it('after pg_terminate_backend of every connection, the lost connections make it applicable and queries run on the new pool', async () => {
    // warm a few connections, then kill them from the server side (what a failover or an operator does)
    await Promise.all(Array.from({ length: 4 }, () => selectOne(5000)));
    const before = (await backends()).map((b) => b.pid);
    expect(before.length).toBeGreaterThan(0);
    await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [dbName]);
    const action = fix();
    // each idle client learns of its end from an error event, which a busy machine may deliver a little later
    await eventually(() => Promise.resolve(databasePool(db)!.state().recentErrors > 0 ? true : undefined), { timeoutMs: 10_000 });
    expect(await action.precondition(undefined)).toBeNull();
    expect((await action.plan(undefined)).summary).toMatch(
      /\d+ connection\(s\) lost in the last 5 minutes \(last: terminating connection due to administrator command\)/,
    );
    const result = await action.apply(noTarget, await action.plan(undefined));
    expect(result).toMatchObject({ ok: true });
    expect(await selectOne(2000)).toBe(1);
    // queries are served by new backends; a terminated one may linger in pg_stat_activity while it exits
    const serving = await Promise.all(Array.from({ length: 4 }, () => sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db)));
    expect(serving.map((r) => r.rows[0].pid).filter((pid) => before.includes(pid))).toEqual([]);
    await eventually(async () => ((await backends()).some((b) => before.includes(b.pid)) ? undefined : true), { timeoutMs: 10_000 });
    expect(await action.precondition(undefined)).toMatch(/healthy/);
  });
});

describe('reconnect-database fix on embedded PGlite (e2e)', () => {
  it('does not apply: PGlite runs in the process and has no pool', async () => {
    const t = await startTestApp({ database: 'pglite' });
    try {
      expect(await t.app.get(FixActions).get('reconnect-database').precondition(undefined)).toMatch(/embedded PGlite .* no connection pool/);
    } finally {
      await t.close();
    }
  });
});
