/**
 * The logs feature inside the real application: every request's log line reaches the (fake) Elasticsearch
 * exactly once, the index template and ILM policy are installed, and the admin-only API answers (or 503s).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JwtService } from '@nestjs/jwt';
import request from 'supertest';
import type { ProblemDto } from '../src/core/errors/problem.dto';
import type { LogEntryDto, LogSearchResponseDto, LogStatsResponseDto } from '../src/logs/dto/log-query.dto';
import { ElasticsearchClient } from '../src/logs/elasticsearch.client';
import { openEventStream } from './support/event-stream';
import { FakeBulkServer } from './support/fake-bulk-server';
import { eventually, loginAdmin, registerUser, startTestApp, TestApp } from './support/test-app';

const requestIdOf = (d: Record<string, unknown>) => (d.http as { request?: { id?: string } } | undefined)?.request?.id ?? '';

describe('logs API and request logging (e2e)', () => {
  let es: FakeBulkServer;
  let t: TestApp;
  let adminToken: string;
  let baseUrl: string;

  beforeAll(async () => {
    es = new FakeBulkServer();
    await es.start();
    t = await startTestApp({
      env: { ENABLE_LOG_AGGREGATION: 'true', ELASTICSEARCH_URL: es.url, LOG_LEVEL: 'warn', LOG_FLUSH_INTERVAL_MS: '50', KIBANA_URL: 'http://kibana.test:5601' },
    });
    adminToken = (await loginAdmin(t.http)).accessToken;
    // the live tail is read over a real socket, as EventSource does
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await t?.close();
    await es?.stop();
  });

  it('installs the index template and the ILM policy', async () => {
    await eventually(() => Promise.resolve(es.templates.has('xiaoyu-ai-logs') && es.policies.has('xiaoyu-ai-logs-policy') ? true : undefined));
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
    const lines = await eventually(() => {
      const found = es.documents().filter((d) => ids.includes(requestIdOf(d)));
      return Promise.resolve(found.length >= ids.length ? found : undefined);
    });
    expect(lines).toHaveLength(ids.length);
    expect(new Set(lines.map(requestIdOf)).size).toBe(ids.length);
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
    const found = search.body as LogSearchResponseDto;
    expect(found).toMatchObject({ page: 1, size: 5 });
    expect(found.hits.length).toBeGreaterThan(0);
    expect(found.kibanaUrl).toContain('http://kibana.test:5601/app/discover#/');
    const stats = await request(t.http).get('/api/logs/stats').set('authorization', `Bearer ${adminToken}`).expect(200);
    const { histogram, topErrors, latencyByRoute } = stats.body as LogStatsResponseDto;
    expect([histogram, topErrors, latencyByRoute].every(Array.isArray)).toBe(true);
    const settings = await request(t.http).get('/api/logs/settings').set('authorization', `Bearer ${adminToken}`).expect(200);
    expect(settings.body).toEqual({ searchConfigured: true, shipping: true, indexPattern: 'xiaoyu-ai-logs-*', kibanaUrl: 'http://kibana.test:5601' });
  });

  it('validates the query with problem+json', async () => {
    const res = await request(t.http).get('/api/logs').query({ level: 'loud', size: 0 }).set('authorization', `Bearer ${adminToken}`).expect(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(((res.body as ProblemDto).errors ?? []).map((e) => e.field).sort()).toEqual(['level', 'size']);
    for (const [path, query] of [
      ['/api/logs', { from: '2026-W05' }],
      ['/api/logs/stats', { from: '2099-01-01T00:00:00Z' }],
      ['/api/logs/stats', { from: '2026-11-29T12:00:00Z', to: '2026-11-29T11:00:00Z' }],
    ] as const) {
      const bad = await request(t.http).get(path).query(query).set('authorization', `Bearer ${adminToken}`).expect(400);
      expect(((bad.body as ProblemDto).errors ?? []).map((e) => e.field)).toEqual(['from']);
    }
  });

  it('reports the shipper in /api/metrics and /api/health', async () => {
    const metrics = await request(t.http).get('/api/metrics').expect(200);
    expect(metrics.text).toMatch(/log_shipper_shipped_total \d+/);
    expect(metrics.text).toContain('log_shipper_dropped_total 0');
    const health = await request(t.http).get('/api/health').set('authorization', `Bearer ${adminToken}`);
    expect((health.body as { details: Record<string, unknown> }).details['log-shipping']).toMatchObject({
      status: 'up',
      elasticsearch: 'reachable',
      dropped: 0,
    });
  });

  it('answers 503 problem+json while Elasticsearch is down, keeps serving, and ships the request lines of the outage once it returns', async () => {
    const ids = Array.from({ length: 10 }, (_, i) => `e2e-outage-${Date.now()}-${i}`);
    await es.goDown();
    try {
      const res = await request(t.http).get('/api/logs').set('authorization', `Bearer ${adminToken}`).expect(503);
      expect(res.headers['content-type']).toContain('application/problem+json');
      expect((res.body as ProblemDto).detail).toContain('Elasticsearch is not reachable');
      for (const id of ids) await request(t.http).get('/api/logs/settings').set('x-request-id', id).expect(401);
    } finally {
      await es.comeBack();
    }
    const shipped = await eventually(() => {
      const found = es.documents().filter((d) => ids.includes(requestIdOf(d)));
      return Promise.resolve(found.length >= ids.length ? found : undefined);
    });
    expect(shipped.map(requestIdOf).sort()).toEqual([...ids].sort());
  });

  it('tails new lines as `log` events, sends `unavailable` while Elasticsearch is down, and carries on when it returns', async () => {
    const stream = await openEventStream(`${baseUrl}/api/logs/tail?access_token=${adminToken}`);
    try {
      expect(stream.status).toBe(200);
      expect(stream.contentType).toContain('text/event-stream');
      const isLine = (id: string) => (event: { type: string; data: unknown }) => event.type === 'log' && (event.data as LogEntryDto).requestId === id;

      const before = `e2e-tail-${Date.now()}`;
      await request(t.http).get('/api/logs/settings').set('x-request-id', before).expect(401);
      const line = await stream.next(isLine(before));
      expect(line.data).toMatchObject({ level: 'warn', statusCode: 401, route: '/api/logs/settings' });

      await es.goDown();
      try {
        const unavailable = await stream.next((event) => event.type === 'unavailable');
        expect(unavailable.data).toEqual({ detail: expect.stringContaining('Elasticsearch is not reachable') as string });
      } finally {
        await es.comeBack();
      }

      const after = `e2e-tail-after-${Date.now()}`;
      await request(t.http).get('/api/logs/settings').set('x-request-id', after).expect(401);
      await stream.next(isLine(after));
      expect(stream.events.filter((event) => event.type === 'log' && (event.data as LogEntryDto).requestId === before)).toHaveLength(1);
      expect(new Set(stream.events.map((event) => event.type))).toEqual(new Set(['log', 'unavailable']));
    } finally {
      stream.close();
    }
  });
});

describe('logs live tail (e2e)', () => {
  let es: FakeBulkServer;
  let t: TestApp;
  let baseUrl: string;
  let admin: { id: string; email: string };

  beforeAll(async () => {
    es = new FakeBulkServer();
    await es.start();
    t = await startTestApp({ env: { ENABLE_LOG_AGGREGATION: 'true', ELASTICSEARCH_URL: es.url, LOG_LEVEL: 'warn', LOG_FLUSH_INTERVAL_MS: '50' } });
    admin = (await loginAdmin(t.http)).user;
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
    await es?.stop();
  });

  /** Indexes documents straight into the fake Elasticsearch, as another replica's shipper would. */
  async function index(docs: Array<{ id: string; at: number; requestId: string }>): Promise<void> {
    const indexName = t.app.get(ElasticsearchClient).indexPattern.replace('*', 'other-replica');
    const body = docs
      .map(
        (d) =>
          `{"create":{"_index":"${indexName}","_id":"${d.id}"}}\n${JSON.stringify({ '@timestamp': new Date(d.at).toISOString(), 'log.level': 'warn', message: 'from another replica', http: { request: { id: d.requestId } } })}\n`,
      )
      .join('');
    const res = await fetch(`${es.url}/_bulk`, { method: 'POST', headers: { 'Content-Type': 'application/x-ndjson' }, body });
    expect(res.ok).toBe(true);
  }

  it('sends a line indexed after newer ones were sent, and any number of lines that share one millisecond', async () => {
    const { accessToken } = await loginAdmin(t.http);
    const stream = await openEventStream(`${baseUrl}/api/logs/tail?access_token=${accessToken}`);
    try {
      const isLine = (id: string) => (event: { type: string; data: unknown }) => event.type === 'log' && (event.data as LogEntryDto).requestId === id;
      const now = Date.now();
      await index([{ id: `newer-${now}`, at: now + 1000, requestId: `newer-${now}` }]);
      await stream.next(isLine(`newer-${now}`));
      // Another replica's batch becomes searchable after the newer line was sent: it is sent all the same.
      await index([{ id: `late-${now}`, at: now + 500, requestId: `late-${now}` }]);
      await stream.next(isLine(`late-${now}`));
      // 450 lines in one millisecond, more than one read's page.
      const burst = Array.from({ length: 450 }, (_, i) => ({ id: `burst-${now}-${i}`, at: now + 2000, requestId: `burst-${now}` }));
      await index([...burst, { id: `after-${now}`, at: now + 2001, requestId: `after-${now}` }]);
      await stream.next(isLine(`after-${now}`));
      expect(stream.events.filter(isLine(`burst-${now}`))).toHaveLength(450);
      expect(stream.events.filter(isLine(`newer-${now}`))).toHaveLength(1);
    } finally {
      stream.close();
    }
  });

  it('ends when the access token it was opened with expires', async () => {
    const token = await t.app.get(JwtService).signAsync({ sub: admin.id, email: admin.email, role: 'admin' }, { expiresIn: 2 });
    const stream = await openEventStream(`${baseUrl}/api/logs/tail?access_token=${token}`);
    expect(stream.status).toBe(200);
    const ended = await Promise.race([stream.ended.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 8000))]);
    stream.close();
    expect(ended).toBe(true);
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
    expect((res.body as ProblemDto).detail).toContain('ELASTICSEARCH_URL');
    expect(res.headers['retry-after']).toBeDefined();
  });

  it('answers the live tail with 503 problem+json instead of opening a stream', async () => {
    const { accessToken } = await loginAdmin(t.http);
    const res = await request(t.http).get('/api/logs/tail').query({ access_token: accessToken }).expect(503);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect((res.body as ProblemDto).detail).toContain('ELASTICSEARCH_URL');
  });
});

describe('log shipping while the spool cannot be opened (e2e)', () => {
  it('serves and says why, then starts shipping by itself once the spool opens', async () => {
    const es = new FakeBulkServer();
    await es.start();
    const blocked = mkdtempSync(join(tmpdir(), 'spool-blocked-'));
    const spoolDir = join(blocked, 'spool');
    writeFileSync(spoolDir, ''); // a file where the spool directory should be, as a disk refusing it would
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const t = await startTestApp({
      env: { ENABLE_LOG_AGGREGATION: 'true', ELASTICSEARCH_URL: es.url, LOG_LEVEL: 'warn', LOG_FLUSH_INTERVAL_MS: '50', LOG_SPOOL_DIR: spoolDir },
    });
    try {
      const adminToken = (await loginAdmin(t.http)).accessToken;
      const shippingHealth = async () =>
        ((await request(t.http).get('/api/health').set('authorization', `Bearer ${adminToken}`)).body as { details: Record<string, Record<string, unknown>> })
          .details['log-shipping'];
      await request(t.http).get('/api/logs/settings').expect(401); // logged at warn while nothing can be spooled
      expect(await shippingHealth()).toMatchObject({
        status: 'down',
        message: expect.stringContaining('until the spool can be opened') as unknown,
        notShipped: expect.any(Number) as unknown,
      });

      rmSync(spoolDir);
      await eventually(async () => ((await shippingHealth()).status === 'up' ? true : undefined));
      const id = `e2e-late-spool-${Date.now()}`;
      await request(t.http).get('/api/logs/settings').set('x-request-id', id).expect(401);
      await eventually(() => Promise.resolve(es.documents().some((d) => requestIdOf(d) === id) ? true : undefined));
    } finally {
      stderr.mockRestore();
      await t.close();
      await es.stop();
      rmSync(blocked, { recursive: true, force: true });
    }
  });
});
