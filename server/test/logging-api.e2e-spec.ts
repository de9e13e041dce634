/**
 * The logs feature inside the real application: every request's log line reaches the (fake) Elasticsearch
 * exactly once, the index template and ILM policy are installed, and the admin-only API answers (or 503s).
 */
import request from 'supertest';
import { FakeBulkServer } from './support/fake-bulk-server';
import { eventually, loginAdmin, registerUser, startTestApp, TestApp } from './support/test-app';

describe('logs API and request logging (e2e)', () => {
  let es: FakeBulkServer;
  let t: TestApp;
  let adminToken: string;

  beforeAll(async () => {
    es = new FakeBulkServer();
    await es.start();
    t = await startTestApp({
      env: { ENABLE_LOG_AGGREGATION: 'true', ELASTICSEARCH_URL: es.url, LOG_LEVEL: 'warn', LOG_FLUSH_INTERVAL_MS: '50', KIBANA_URL: 'http://kibana.test:5601' },
    });
    adminToken = (await loginAdmin(t.http)).accessToken;
  });

  afterAll(async () => {
    await t?.close();
    await es?.stop();
  });

  it('installs the index template and the ILM policy', async () => {
    await eventually(async () => (es.templates.has('xiaoyu-ai-logs') && es.policies.has('xiaoyu-ai-logs-policy') ? true : undefined));
    const template = es.templates.get('xiaoyu-ai-logs') as { index_patterns: string[]; template: { settings: Record<string, unknown> } };
    expect(template.index_patterns).toEqual(['xiaoyu-ai-logs-*']);
    expect(template.template.settings['index.lifecycle.name']).toBe('xiaoyu-ai-logs-policy');
    const policy = es.policies.get('xiaoyu-ai-logs-policy') as { policy: { phases: { delete: { min_age: string } } } };
    expect(policy.policy.phases.delete.min_age).toBe('14d');
  });

  it("ships every request's log line exactly once, with route template, status, duration and user", async () => {
    const session = await registerUser(t.http);
    const ids = Array.from({ length: 30 }, (_, i) => `e2e-logs-${Date.now()}-${i}`);
    for (const id of ids) {
      await request(t.http).get('/api/logs/settings').set('x-request-id', id).set('authorization', `Bearer ${session.accessToken}`).expect(403);
    }
    const lines = await eventually(async () => {
      const found = es.documents().filter((d) => ids.includes((d.http as { request?: { id?: string } } | undefined)?.request?.id ?? ''));
      return found.length >= ids.length ? found : undefined;
    });
    expect(lines).toHaveLength(ids.length);
    expect(new Set(lines.map((d) => (d.http as { request: { id: string } }).request.id)).size).toBe(ids.length);
    expect(lines[0]).toMatchObject({
      'log.level': 'warn',
      http: { request: { method: 'GET' }, response: { status_code: 403 }, route: '/api/logs/settings' },
      user: { id: session.user.id },
    });
    expect(typeof (lines[0].event as { duration: number }).duration).toBe('number');
  });

  it('answers search, stats and settings to an admin only', async () => {
    await request(t.http).get('/api/logs').expect(401);
    const search = await request(t.http).get('/api/logs').query({ level: 'info,warn', size: 5 }).set('authorization', `Bearer ${adminToken}`).expect(200);
    expect(search.body).toMatchObject({ page: 1, size: 5 });
    expect(search.body.hits.length).toBeGreaterThan(0);
    expect(search.body.kibanaUrl).toContain('http://kibana.test:5601/app/discover#/');
    const stats = await request(t.http).get('/api/logs/stats').set('authorization', `Bearer ${adminToken}`).expect(200);
    expect(stats.body).toMatchObject({ histogram: expect.any(Array), topErrors: expect.any(Array), latencyByRoute: expect.any(Array) });
    const settings = await request(t.http).get('/api/logs/settings').set('authorization', `Bearer ${adminToken}`).expect(200);
    expect(settings.body).toEqual({ searchConfigured: true, shipping: true, indexPattern: 'xiaoyu-ai-logs-*', kibanaUrl: 'http://kibana.test:5601' });
  });

  it('validates the query with problem+json', async () => {
    const res = await request(t.http).get('/api/logs').query({ level: 'loud', size: 0 }).set('authorization', `Bearer ${adminToken}`).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['level', 'size']);
  });

  it('reports the shipper in /api/metrics and /api/health', async () => {
    const metrics = await request(t.http).get('/api/metrics').expect(200);
    expect(metrics.text).toMatch(/log_shipper_shipped_total \d+/);
    expect(metrics.text).toContain('log_shipper_dropped_total 0');
    const health = await request(t.http).get('/api/health');
    expect(health.body.details['log-shipping']).toMatchObject({ status: 'up', elasticsearch: 'reachable', dropped: 0 });
  });

  it('answers 503 problem+json while Elasticsearch is down, keeps serving, and ships the request lines of the outage once it returns', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `e2e-outage-${Date.now()}-${i}`);
    await es.goDown();
    try {
      const res = await request(t.http).get('/api/logs').set('authorization', `Bearer ${adminToken}`).expect(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect(res.body.detail).toContain('Elasticsearch is not reachable');
      for (const id of ids) await request(t.http).get('/api/logs/settings').set('x-request-id', id).expect(401);
    } finally {
      await es.comeBack();
    }
    const requestIdOf = (d: Record<string, unknown>) => (d.http as { request?: { id?: string } } | undefined)?.request?.id ?? '';
    const shipped = await eventually(async () => {
      const found = es.documents().filter((d) => ids.includes(requestIdOf(d)));
      return found.length >= ids.length ? found : undefined;
    });
    expect(shipped.map(requestIdOf).sort()).toEqual([...ids].sort());
  });
});

describe('logs API without Elasticsearch (e2e)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('answers 503 problem+json naming the missing setting', async () => {
    const { accessToken } = await loginAdmin(t.http);
    const res = await request(t.http).get('/api/logs/stats').set('authorization', `Bearer ${accessToken}`).expect(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.detail).toContain('ELASTICSEARCH_URL');
    expect(res.headers['retry-after']).toBeDefined();
  });
});
