import request from 'supertest';
import { DATABASE, type Database } from '../src/core/db/database';
import type { ProblemDetails } from '../src/core/errors/problem';
import { registerUser, startTestApp, TestApp } from './support/test-app';

interface HealthBody {
  status: string;
  details: Record<string, { status: string; engine?: string }>;
}

describe.each(['postgresql', 'pglite'] as const)('platform smoke on %s', (database) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ database, env: { BODY_LIMIT: '10kb' } });
  });
  afterAll(() => t.close());

  it('reports live, ready and full health with each dependency', async () => {
    await request(t.http).get('/api/health/live').expect(200, { status: 'ok' });
    // The public probe says up or down and nothing more; the details are for signed-in users.
    const ready = (await request(t.http).get('/api/health/ready').expect(200)).body as HealthBody;
    expect(ready.details.database).toEqual({ status: 'up' });
    // Redis is shared by every replica: it does not count for readiness (it is in the full health).
    expect(ready.details.redis).toBeUndefined();
    await request(t.http).get('/api/health').expect(401);
    const session = await registerUser(t.http);
    const full = (await request(t.http).get('/api/health').set('Authorization', `Bearer ${session.accessToken}`).expect(200)).body as HealthBody;
    expect(full.status).toBe('ok');
    expect(full.details.database).toMatchObject({ status: 'up', engine: database });
    expect(full.details.redis).toMatchObject({ status: 'up' });
  });

  it('answers an authenticated database read with the rate-limit headers', async () => {
    const session = await registerUser(t.http);
    const me = await request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${session.accessToken}`).expect(200);
    expect(me.headers['x-ratelimit-limit-api']).toBe('100000');
    // Seconds left in the current clock-aligned minute (within 2 s, across a minute's turn).
    const secondsLeft = Math.ceil((60_000 - (Date.now() % 60_000)) / 1000);
    const off = (((Number(me.headers['x-ratelimit-reset-api']) - secondsLeft) % 60) + 60) % 60;
    expect(Math.min(off, 60 - off)).toBeLessThanOrEqual(2);
    expect(Number(me.headers['x-ratelimit-remaining-api'])).toBeLessThan(100000);
    const probe = await request(t.http).get('/api/health/live').expect(200);
    expect(probe.headers['x-ratelimit-limit-api']).toBeUndefined();
  });

  it('reads /me from the database on every request: a role change shows at once, a deleted account is refused', async () => {
    const session = await registerUser(t.http);
    const me = () => request(t.http).get('/api/auth/me').set('Authorization', `Bearer ${session.accessToken}`);
    expect((await me().expect(200)).body).toEqual(session.user);
    const db = t.app.get<Database>(DATABASE);
    await db.updateTable('users').set({ role: 'admin' }).where('id', '=', session.user.id).execute();
    expect((await me().expect(200)).body).toEqual({ ...session.user, role: 'admin' });
    await db.deleteFrom('users').where('id', '=', session.user.id).execute();
    const gone = await me().expect(401);
    expect((gone.body as ProblemDetails).detail).toBe('The account no longer exists.');
  });

  it('echoes a given request id and makes one when absent', async () => {
    const given = await request(t.http).get('/api/health/live').set('X-Request-Id', 'trace-42').expect(200);
    expect(given.headers['x-request-id']).toBe('trace-42');
    const made = await request(t.http).get('/api/health/live').expect(200);
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const unsafe = await request(t.http).get('/api/health/live').set('X-Request-Id', 'bad id\twith spaces').expect(200);
    expect(unsafe.headers['x-request-id']).not.toContain(' ');
  });

  it('answers malformed JSON with 400 problem+json and no parser internals', async () => {
    const response = await request(t.http).post('/api/auth/login').set('Content-Type', 'application/json').send('{"email": "a@b.co",');
    expect(response.status).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.body).toMatchObject({ title: 'Bad Request', detail: 'The request body is not valid JSON.' });
    expect((response.body as ProblemDetails).requestId).toBe(response.headers['x-request-id']);
    expect(JSON.stringify(response.body)).not.toMatch(/at .*\.js|position/);
  });

  it('answers an oversized body with 413', async () => {
    const response = await request(t.http)
      .post('/api/auth/login')
      .send({ email: 'a@b.co', password: 'x'.repeat(20_000) });
    expect(response.status).toBe(413);
    expect((response.body as ProblemDetails).title).toBe('Payload Too Large');
  });

  it('answers an unknown API route with 404 problem+json', async () => {
    const response = await request(t.http).get('/api/does-not-exist');
    expect(response.status).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect((response.body as ProblemDetails).detail).toBe('No route for GET /api/does-not-exist.');
  });

  it('names every invalid field of a DTO', async () => {
    const response = await request(t.http).post('/api/auth/register').send({ email: 'not-an-email', password: 'short', admin: true });
    expect(response.status).toBe(400);
    const fields = ((response.body as ProblemDetails).errors ?? []).map((e) => e.field).sort();
    expect(fields).toEqual(['admin', 'email', 'password']);
  });

  it('sets security headers', async () => {
    const response = await request(t.http).get('/api/health/live');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('documents every route in the OpenAPI JSON', async () => {
    const spec = (await request(t.http).get('/api/docs-json').expect(200)).body as {
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    const routes = Object.keys(spec.paths);
    for (const path of [
      '/api/auth/login',
      '/api/auth/register',
      '/api/auth/refresh',
      '/api/health',
      '/api/health/live',
      '/api/health/ready',
      '/api/jobs/{queue}/{id}',
      '/api/system/info',
      '/api/metrics',
    ]) {
      expect(routes).toContain(path);
    }
    expect(spec.components.schemas.ProblemDto).toBeDefined();
    await request(t.http).get('/api/docs').expect(200);
  });

  it('exposes Prometheus metrics with route templates, event-loop lag, heap and queue counts', async () => {
    const session = await registerUser(t.http);
    await request(t.http)
      .get('/api/jobs/music-generation/00000000-0000-4000-8000-000000000000')
      .set('Authorization', `Bearer ${session.accessToken}`)
      .expect(404);
    const metrics = await request(t.http).get('/api/metrics').expect(200);
    expect(metrics.text).toContain('http_request_duration_seconds_bucket{le="0.005",method="GET",route="/api/jobs/:queue/:id",status="404"}');
    expect(metrics.text).toMatch(/nodejs_eventloop_lag_seconds \d/);
    expect(metrics.text).toMatch(/nodejs_heap_size_used_bytes \d/);
    expect(metrics.text).toContain('queue_jobs{queue="music-generation",state="waiting"}');
    // Through a proxy (the ingress, the client's nginx) it is not there.
    await request(t.http).get('/api/metrics').set('X-Forwarded-For', '203.0.113.9').expect(404);
    await request(t.http).get('/api/metrics').set('Forwarded', 'for=203.0.113.9').expect(404);
  });
});
