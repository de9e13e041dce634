import { randomBytes, scryptSync } from 'node:crypto';
import request from 'supertest';
import { AuthService } from '../src/core/auth/auth.service';
import { TokenService } from '../src/core/auth/token.service';
import { UsersRepository } from '../src/core/auth/users.repository';
import type { AppConfig } from '../src/core/config/app-config';
import type { ProblemDetails } from '../src/core/errors/problem';
import { ADMIN, awayFromRateLimitWindowEdge, loginAdmin, registerUser, Session, startTestApp, TestApp } from './support/test-app';

const problem = (response: request.Response) => response.body as ProblemDetails;

describe('auth (PostgreSQL)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('registers, reads /me with the access token and refuses a duplicate e-mail with 409', async () => {
    const session = await registerUser(t.http, 'Ada@Example.com');
    expect(session.user).toMatchObject({ email: 'ada@example.com', role: 'user' });
    const me = await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${session.accessToken}`).expect(200);
    expect(me.body).toEqual(session.user);

    const duplicate = await request(t.http).post('/api/auth/register').send({ email: 'ada@example.com', password: 'another-pass' });
    expect(duplicate.status).toBe(409);
    expect(duplicate.headers['content-type']).toContain('application/problem+json');
  });

  it('replaces a password hash made with older, weaker parameters at the next login', async () => {
    const users = t.app.get(UsersRepository);
    const salt = randomBytes(16);
    const key = scryptSync('an-old-password', salt, 32, { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const old = ['scrypt', 32768, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
    const email = `old-${Date.now()}@example.com`;
    await users.create(email, old, 'user');
    await request(t.http).post('/api/auth/login').send({ email, password: 'an-old-password' }).expect(200);
    const renewed = (await users.findByEmail(email))!.password_hash;
    expect(renewed).toMatch(/^scrypt\$32768\$8\$3\$/);
    await request(t.http).post('/api/auth/login').send({ email, password: 'an-old-password' }).expect(200);
    await request(t.http).post('/api/auth/login').send({ email, password: 'a-wrong-password' }).expect(401);
    expect((await users.findByEmail(email))!.password_hash).toBe(renewed);
  });

  it('rotates refresh tokens and revokes every session when a used one comes back', async () => {
    const session = await registerUser(t.http);
    const rotated = (await request(t.http).post('/api/auth/refresh').send({ refreshToken: session.refreshToken }).expect(200)).body as Session;
    expect(rotated.refreshToken).not.toBe(session.refreshToken);
    expect(rotated.user.id).toBe(session.user.id);

    const reused = await request(t.http).post('/api/auth/refresh').send({ refreshToken: session.refreshToken });
    expect(reused.status).toBe(401);
    expect(problem(reused).detail).toMatch(/already used/);
    // The reuse revoked the rotated token too.
    await request(t.http).post('/api/auth/refresh').send({ refreshToken: rotated.refreshToken }).expect(401);
  });

  it('logs out by revoking the refresh token', async () => {
    const session = await registerUser(t.http);
    await request(t.http).post('/api/auth/logout').send({ refreshToken: session.refreshToken }).expect(204);
    await request(t.http).post('/api/auth/refresh').send({ refreshToken: session.refreshToken }).expect(401);
  });

  it('answers 401 without a token, with a bad token, and for a wrong password', async () => {
    const none = await request(t.http).get('/api/auth/me');
    expect(none.status).toBe(401);
    expect(none.body).toMatchObject({ status: 401, title: 'Unauthorized', instance: '/api/auth/me' });
    await request(t.http).get('/api/auth/me').set('Authorization', 'Bearer not.a.jwt').expect(401);
    const wrong = await request(t.http).post('/api/auth/login').send({ email: ADMIN.email, password: 'wrong-password' });
    expect(wrong.status).toBe(401);
    expect(problem(wrong).detail).toBe('The e-mail or password is incorrect.');
  });

  it('creates the first admin from ADMIN_EMAIL and keeps operator routes for admins', async () => {
    const admin = await loginAdmin(t.http);
    expect(admin.user.role).toBe('admin');
    const user = await registerUser(t.http);
    const forbidden = await request(t.http).get('/api/system/queues').set('Authorization', `Bearer ${user.accessToken}`);
    expect(forbidden.status).toBe(403);
    expect(problem(forbidden).detail).toMatch(/admin role/);
    const queues = await request(t.http).get('/api/system/queues').set('Authorization', `Bearer ${admin.accessToken}`).expect(200);
    expect((queues.body as { name: string }[]).map((q) => q.name)).toContain('music-generation');
  });

  it('promotes an existing account named by ADMIN_EMAIL only when its password is ADMIN_PASSWORD', async () => {
    const email = 'ops@xiaoyu.test';
    // Someone registered the operator's address first (registration is open, e-mails are not verified).
    await request(t.http).post('/api/auth/register').send({ email, password: 'squatter-password-1' }).expect(201);
    const startWith = (password: string) =>
      new AuthService(
        t.app.get(UsersRepository),
        t.app.get(TokenService),
        Object.assign(Object.create(t.config) as AppConfig, { ADMIN_EMAIL: email, ADMIN_PASSWORD: password }),
      ).onApplicationBootstrap();
    await startWith('operator-secret-9');
    const squatter = await request(t.http).post('/api/auth/login').send({ email, password: 'squatter-password-1' }).expect(200);
    expect((squatter.body as Session).user.role).toBe('user');
    // The account's own password: the operator made it and is promoted.
    await startWith('squatter-password-1');
    const owner = await request(t.http).post('/api/auth/login').send({ email, password: 'squatter-password-1' }).expect(200);
    expect((owner.body as Session).user.role).toBe('admin');
  });
});

describe('login rate limit', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { AUTH_RATE_LIMIT: '5' } });
  });
  afterAll(() => t.close());

  it('rate-limits login attempts with 429 and Retry-After', async () => {
    await awayFromRateLimitWindowEdge();
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let i = 0; i < 8; i++) {
      last = await request(t.http).post('/api/auth/login').set('X-Forwarded-For', '10.9.9.9').send({ email: 'nobody@xiaoyu.test', password: 'whatever-1' });
      statuses.push(last.status);
    }
    expect(statuses).toContain(401);
    expect(statuses.at(-1)).toBe(429);
    const retryAfter = Number(last?.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(last && problem(last).detail).toMatch(/^Too many requests from this address/);
    expect(last?.headers['content-type']).toContain('application/problem+json');
  });
});

describe('rate limits across replicas', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    // Two replicas of one deployment: the same Redis and key prefix.
    const env = { AUTH_RATE_LIMIT: '4', QUEUE_PREFIX: `e2e-shared-${Date.now()}` };
    [a, b] = await Promise.all([startTestApp({ env }), startTestApp({ env })]);
  });
  afterAll(() => Promise.all([a.close(), b.close()]));

  const login = (t: TestApp) =>
    request(t.http).post('/api/auth/login').set('X-Forwarded-For', '10.8.8.8').send({ email: 'nobody@xiaoyu.test', password: 'whatever-1' });

  it('counts a client spreading its attempts over two replicas once, against one limit', async () => {
    await awayFromRateLimitWindowEdge(25_000);
    const settle = () => new Promise((resolve) => setTimeout(resolve, 1_500));
    // Three attempts on each replica: under the limit of 4 on either alone. A slow machine may already refuse some,
    // as the replicas report every second.
    const first: number[] = [];
    for (const t of [a, b, a, b, a, b]) first.push((await login(t)).status);
    expect(first.every((status) => status === 401 || status === 429)).toBe(true);
    // Once both have reported, the one that reported last knows of all six and refuses; the other learns with its
    // next report.
    await settle();
    const next = [(await login(a)).status, (await login(b)).status];
    expect(next).toContain(429);
    await settle();
    expect([(await login(a)).status, (await login(b)).status]).toEqual([429, 429]);
  });
});
