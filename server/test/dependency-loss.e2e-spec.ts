import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import request from 'supertest';
import { startServerProcess, type ServerProcess } from './support/server-process';

const ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

jest.setTimeout(120_000);

/** PostgreSQL drops the application's connections (pg_terminate_backend, a failover): the process survives and recovers. */
describe('losing PostgreSQL connections (e2e, real server process)', () => {
  const name = `xiaoyu_e2e_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let server: ServerProcess;

  beforeAll(async () => {
    await admin((c) => c.query(`create database ${name}`));
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    server = await startServerProcess({ DATABASE_URL: url.toString(), API_RATE_LIMIT: '1000000', AUTH_RATE_LIMIT: '1000000' });
  });
  afterAll(async () => {
    await server?.stop();
    await admin((c) => c.query(`drop database if exists ${name} with (force)`));
  });

  it('keeps running and answers 2xx or 503 (never 500) while its connections are terminated under load', async () => {
    const { accessToken } = (
      await request(server.base)
        .post('/api/auth/register')
        .send({ email: `u-${randomUUID().slice(0, 8)}@xiaoyu.test`, password: 'user-password-1' })
        .expect(201)
    ).body as { accessToken: string };
    const statuses: number[] = [];
    let running = true;
    const load = Promise.all(
      Array.from({ length: 8 }, async () => {
        while (running) {
          const res = await request(server.base)
            .get('/api/music/generations')
            .set('Authorization', `Bearer ${accessToken}`)
            .catch(() => undefined);
          statuses.push(res?.status ?? 0);
        }
      }),
    );
    for (let i = 0; i < 6; i++) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      await admin((c) => c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]));
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    running = false;
    await load;

    expect(server.child.exitCode).toBeNull();
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
    await request(server.base).get('/api/music/generations').set('Authorization', `Bearer ${accessToken}`).expect(200);
  });
});
