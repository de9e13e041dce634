import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import request from 'supertest';
import { createApp } from '../../src/bootstrap';
import { AppConfig, loadConfig } from '../../src/core/config/app-config';

/** The machine's PostgreSQL (trust auth); each test app gets a database of its own. */
const ADMIN_URL = process.env.TEST_POSTGRES_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export const ADMIN = { email: 'admin@xiaoyu.test', password: 'admin-password-1' };

export interface TestApp {
  app: NestExpressApplication;
  http: ReturnType<NestExpressApplication['getHttpServer']>;
  config: AppConfig;
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** 'postgresql' (default) uses a fresh database on the local server; 'pglite' the embedded one. */
  database?: 'postgresql' | 'pglite';
  env?: Record<string, string>;
}

async function createDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `xiaoyu_e2e_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new Client({ connectionString: ADMIN_URL });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

/** Boots the real application (real PostgreSQL/PGlite and Redis) on an ephemeral port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = mkdtempSync(join(tmpdir(), 'xiaoyu-e2e-'));
  const database = options.database === 'pglite' ? undefined : await createDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    QUEUE_PREFIX: `e2e-${randomUUID().slice(0, 8)}`,
    API_RATE_LIMIT: '100000',
    AUTH_RATE_LIMIT: '1000',
    // AIOps collection runs only in the specs that test it
    AIOPS_COLLECT: 'false',
    // and the periodic FSRS refit in the one that tests it
    TUTOR_FSRS_REFIT_INTERVAL_MS: '0',
    ADMIN_EMAIL: ADMIN.email,
    ADMIN_PASSWORD: ADMIN.password,
    ...(database ? { DATABASE_URL: database.url } : {}),
    ...options.env,
  });
  const app = await createApp(config);
  await app.init();
  return {
    app,
    http: app.getHttpServer(),
    config,
    async close() {
      await app.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: { id: string; email: string; role: 'user' | 'admin' };
}

export async function registerUser(http: TestApp['http'] | string, email = `user-${randomUUID().slice(0, 8)}@xiaoyu.test`): Promise<Session> {
  const response = await request(http).post('/api/auth/register').send({ email, password: 'user-password-1' }).expect(201);
  return response.body as Session;
}

export async function loginAdmin(http: TestApp['http'] | string): Promise<Session> {
  const response = await request(http).post('/api/auth/login').send(ADMIN).expect(200);
  return response.body as Session;
}

/** Polls until `condition` returns a value (bounded), for asynchronous outcomes such as jobs. */
export async function eventually<T>(condition: () => Promise<T | undefined>, { timeoutMs = 30_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/**
 * Rate-limit windows are aligned to the clock (a minute each): a test that counts up to a limit waits out the last
 * `marginMs` of a window, so that its requests fall in one window.
 */
export async function awayFromRateLimitWindowEdge(marginMs = 10_000, windowMs = 60_000): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
