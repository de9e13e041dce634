import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import request from 'supertest';
import type { FieldError, ProblemDetails } from '../src/core/errors/problem';
import { QUEUES } from '../src/core/jobs/queues';
import type { AlertmanagerPayload } from '../src/aiops/alerts/alertmanager-webhook';
import type { AiopsStatusDto, FixAuditDto, IncidentDetailDto, IncidentSummaryDto, SeriesDataDto, SeriesInfoDto, SilenceDto } from '../src/aiops/dto/aiops.dto';
import { FakeWebhookServer } from './support/fake-webhook-server';
import { TcpProxy } from './support/tcp-proxy';
import { eventually, loginAdmin, registerUser, Session, startTestApp, TestApp } from './support/test-app';

const problem = (res: request.Response) => res.body as ProblemDetails & { errors?: FieldError[] };

jest.setTimeout(180_000);

/**
 * AIOps end to end on a running instance: collection every second (real PostgreSQL, Redis behind a relay the test
 * can cut), faults injected (Redis taken away, jobs that fail), incidents with ranked causes, Alertmanager
 * notifications with retries, a dry run and an applied fix with its audit entry, a revert, silences.
 */
describe('aiops service (e2e)', () => {
  let t: TestApp;
  let admin: Session;
  let user: Session;
  let proxy: TcpProxy;
  let hook: FakeWebhookServer;
  const auth = (s: Session) => ({ Authorization: `Bearer ${s.accessToken}` });
  const get = <T>(path: string) =>
    request(t.http)
      .get(path)
      .set(auth(admin))
      .expect(200)
      .then((r) => r.body as T);

  beforeAll(async () => {
    proxy = new TcpProxy('127.0.0.1', 6379);
    const port = await proxy.start();
    hook = new FakeWebhookServer();
    const url = await hook.start();
    hook.statuses.push(500); // the first delivery fails: it must be retried
    t = await startTestApp({
      env: {
        REDIS_URL: `redis://127.0.0.1:${port}`,
        AIOPS_COLLECT: 'true',
        AIOPS_COLLECT_INTERVAL_MS: '1000',
        AIOPS_RESOLVE_AFTER_MS: '2000',
        AIOPS_WEBHOOK_URL: url,
        AIOPS_AUTO_FIXES: 'reconnect-redis',
      },
    });
    admin = await loginAdmin(t.http);
    user = await registerUser(t.http);
  });
  afterAll(async () => {
    await t?.close();
    await proxy?.stop();
    await hook?.stop();
  });

  const incidents = () => get<IncidentSummaryDto[]>('/api/aiops/incidents');

  it('collects metrics, health and queue states into series with anomaly scores', async () => {
    const status = await eventually(async () => {
      const s = await get<AiopsStatusDto>('/api/aiops/status');
      return s.last && s.series > 5 ? s : undefined;
    });
    expect(status).toMatchObject({ collecting: true, source: 'registry', intervalMs: 1000 });
    const series = await get<SeriesInfoDto[]>('/api/aiops/series');
    const keys = series.map((s) => s.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'health_up{check="redis"}',
        'health_up{check="database"}',
        'eventloop_lag_p99_seconds',
        'heap_used_bytes',
        'redis_latency_seconds',
      ]),
    );
    expect(keys.some((k) => k.startsWith('queue_waiting{queue="music-generation"}'))).toBe(true);
    expect(series.find((s) => s.key === 'health_up{check="redis"}')).toMatchObject({ component: 'redis', lastValue: 1 });

    const data = await eventually(async () => {
      const d = await get<SeriesDataDto[]>(`/api/aiops/series/query?metric=health_up&labels=check=database`);
      return d[0]?.points.length >= 2 ? d : undefined;
    });
    expect(data).toHaveLength(1);
    expect(data[0].points[0]).toEqual({ t: expect.any(Number) as unknown, value: 1, score: expect.any(Number) as unknown });
    expect(data[0].threshold).toBeGreaterThan(0);
    expect(problem(await request(t.http).get('/api/aiops/series/query?labels=x').set(auth(admin)).expect(400)).errors?.map((e) => e.field)).toEqual(
      expect.arrayContaining(['metric', 'labels']),
    );
    for (const query of ['from=2026-W05', 'from=2026-02-30T00:00:00Z', 'from=2026-11-29T12:00:00Z&to=2026-11-29T11:00:00Z']) {
      const bad = await request(t.http).get(`/api/aiops/logs/patterns?${query}`).set(auth(admin)).expect(400);
      expect(problem(bad).errors?.map((e) => e.field)).toEqual(['from']);
    }
  });

  it('turns Redis going away into an incident with redis ranked first, notifies, fixes automatically, and resolves it', async () => {
    expect((await incidents()).filter((i) => i.state !== 'resolved')).toEqual([]);
    await proxy.cut();
    const incident = await eventually(async () => (await incidents()).find((i) => i.topCause === 'redis' && i.state === 'firing'), {
      timeoutMs: 30_000,
      intervalMs: 300,
    });
    expect(incident.severity).toBe('critical');
    const detail = await get<IncidentDetailDto>(`/api/aiops/incidents/${incident.id}`);
    expect(detail.causes[0]).toMatchObject({ component: 'redis', why: expect.stringContaining('redis') as unknown });
    expect(detail.alerts.some((a) => a.name === 'redis-down' && a.state === 'firing')).toBe(true);
    expect(detail.diagnosis).toMatch(/Redis/);
    expect(detail.fixes.map((f) => f.id)).toEqual(expect.arrayContaining(['reconnect-redis', 'check-redis-server']));
    expect(detail.fixes.find((f) => f.id === 'reconnect-redis')).toMatchObject({ automatic: true, action: 'reconnect-redis' });
    // a runbook for a person has nothing to run
    const runbook = await request(t.http).post(`/api/aiops/incidents/${incident.id}/fixes/check-redis-server/dry-run`).set(auth(admin)).expect(409);
    expect(problem(runbook).detail).toMatch(/runbook/);

    // the policy marks reconnect-redis automatic: a dry run and an execution by aiops-policy are audited
    const auto = await eventually(async () => {
      const audit = await get<FixAuditDto[]>(`/api/aiops/fixes/audit?incidentId=${incident.id}`);
      return audit.some((a) => a.mode === 'execute') ? audit : undefined;
    });
    expect(auto.map((a) => [a.mode, a.actor, a.actorName, a.automatic])).toEqual(
      expect.arrayContaining([
        ['dry-run', 'aiops-policy', 'aiops-policy', true],
        ['execute', 'aiops-policy', 'aiops-policy', true],
      ]),
    );

    await proxy.restore();
    const resolved = await eventually(
      async () => {
        const i = (await incidents()).find((x) => x.id === incident.id);
        return i?.state === 'resolved' ? i : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500 },
    );
    expect(resolved.resolvedBy).toBe('aiops');

    // Alertmanager-format notifications: firing, then resolved; the first delivery failed and was retried
    const payloads = await eventually(() => {
      const p = hook.received as AlertmanagerPayload[];
      return Promise.resolve(p.some((x) => x.status === 'resolved' && x.alerts.some((a) => a.labels.alertname === 'redis-down')) ? p : undefined);
    });
    const firing = payloads.find((p) => p.status === 'firing' && p.alerts.some((a) => a.labels.alertname === 'redis-down'))!;
    expect(firing).toMatchObject({ version: '4', receiver: 'aiops', groupKey: expect.any(String) as unknown });
    expect(firing.alerts.find((a) => a.labels.alertname === 'redis-down')).toMatchObject({
      status: 'firing',
      labels: { severity: 'critical', component: 'redis' },
      annotations: { summary: 'Redis does not answer' },
      endsAt: '0001-01-01T00:00:00Z',
    });
    expect(hook.attempts).toBeGreaterThan(hook.received.length);
  });

  it('advises pausing a queue whose jobs fail; dry run first, then applies it with an audit entry, and reverts it', async () => {
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.musicGeneration));
    // jobs without their generation row fail at once: a broken consumer
    for (let i = 0; i < 6; i++) await queue.add('emotion', { userId: randomUUID() }, { jobId: randomUUID() });
    const incident = await eventually(async () => (await incidents()).find((i) => i.state !== 'resolved' && i.topCause === 'worker'), {
      timeoutMs: 30_000,
      intervalMs: 300,
    });
    const fixId = 'pause-queue:music-generation';
    const detail = await get<IncidentDetailDto>(`/api/aiops/incidents/${incident.id}`);
    expect(detail.fixes[0]).toMatchObject({ id: fixId, available: true, automatic: false, reversible: true, risk: 'medium' });
    expect(detail.fixes[0].runbook.length).toBeGreaterThan(0);

    const base = `/api/aiops/incidents/${incident.id}/fixes`;
    expect(problem(await request(t.http).post(`${base}/${fixId}/execute`).set(auth(admin)).expect(409)).detail).toMatch(/dry run/i);
    await request(t.http).post(`${base}/no-such-fix/dry-run`).set(auth(admin)).expect(404);
    await request(t.http).post(`/api/aiops/incidents/${randomUUID()}/fixes/${fixId}/dry-run`).set(auth(admin)).expect(404);

    const plan = (await request(t.http).post(`${base}/${fixId}/dry-run`).set(auth(admin)).expect(200)).body as FixAuditDto;
    expect(plan).toMatchObject({
      mode: 'dry-run',
      outcome: 'planned',
      actor: admin.user.id,
      actorName: admin.user.email,
      changes: [{ what: 'pause queue', target: 'music-generation', from: 'running', to: 'paused' }],
    });
    expect(await queue.isPaused()).toBe(false);

    // A double click, or two admins at once: one execution, the other is told why not.
    const both = await Promise.all([0, 1].map(() => request(t.http).post(`${base}/${fixId}/execute`).set(auth(admin))));
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const applied = both.find((r) => r.status === 200)!.body as FixAuditDto;
    expect(applied).toMatchObject({ mode: 'execute', outcome: 'succeeded', actor: admin.user.id, automatic: false, revertible: true });
    expect(await queue.isPaused()).toBe(true);
    // The dry run allowed one execution; a new one finds the precondition no longer holds.
    expect(problem(await request(t.http).post(`${base}/${fixId}/execute`).set(auth(admin)).expect(409)).detail).toMatch(/dry run/i);
    expect(problem(await request(t.http).post(`${base}/${fixId}/dry-run`).set(auth(admin)).expect(409)).detail).toMatch(/already paused/);

    const audit = await get<FixAuditDto[]>(`/api/aiops/fixes/audit?incidentId=${incident.id}`);
    expect(audit.filter((a) => a.mode === 'execute' && a.outcome === 'succeeded')).toHaveLength(1);
    expect(audit.map((a) => `${a.mode}:${a.outcome}`)).toEqual(expect.arrayContaining(['dry-run:planned', 'execute:succeeded', 'dry-run:refused']));
    expect((await get<IncidentDetailDto>(`/api/aiops/incidents/${incident.id}`)).audit.some((a) => a.id === applied.id)).toBe(true);

    const revert = (await request(t.http).post(`/api/aiops/fixes/audit/${applied.id}/revert`).set(auth(admin)).expect(200)).body as FixAuditDto;
    expect(revert).toMatchObject({ mode: 'revert', outcome: 'succeeded', fixId: `revert:${applied.id}` });
    expect(await queue.isPaused()).toBe(false);
    await request(t.http).post(`/api/aiops/fixes/audit/${applied.id}/revert`).set(auth(admin)).expect(409);
    await request(t.http).post(`/api/aiops/fixes/audit/${randomUUID()}/revert`).set(auth(admin)).expect(404);

    const acked = (await request(t.http).post(`/api/aiops/incidents/${incident.id}/acknowledge`).set(auth(admin)).expect(200)).body as IncidentSummaryDto;
    expect(acked).toMatchObject({ state: 'acknowledged', acknowledgedBy: admin.user.id });
    const resolved = (await request(t.http).post(`/api/aiops/incidents/${incident.id}/resolve`).set(auth(admin)).expect(200)).body as IncidentSummaryDto;
    expect(resolved).toMatchObject({ state: 'resolved', resolvedBy: admin.user.id });
    await request(t.http).post(`/api/aiops/incidents/${incident.id}/acknowledge`).set(auth(admin)).expect(409);
  });

  it('answers unknown incidents with 404 and is for admins only', async () => {
    for (const id of [randomUUID(), 'not-an-id']) {
      const res = await request(t.http).get(`/api/aiops/incidents/${id}`).set(auth(admin)).expect(404);
      expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    }
    await request(t.http).post(`/api/aiops/incidents/${randomUUID()}/resolve`).set(auth(admin)).expect(404);
    await request(t.http).get('/api/aiops/incidents').set(auth(user)).expect(403);
    await request(t.http).get('/api/aiops/incidents').expect(401);
  });

  it('creates, lists and ends silences; bad silences are 400 naming the field', async () => {
    const created = (
      await request(t.http)
        .post('/api/aiops/silences')
        .set(auth(admin))
        .send({ matchers: { name: 'queue-backlog' }, comment: 'load test', durationMinutes: 30 })
        .expect(201)
    ).body as SilenceDto;
    expect(created).toMatchObject({ matchers: { name: 'queue-backlog' }, active: true, createdBy: admin.user.id });
    expect((await get<SilenceDto[]>('/api/aiops/silences')).map((s) => s.id)).toContain(created.id);
    await request(t.http).delete(`/api/aiops/silences/${created.id}`).set(auth(admin)).expect(204);
    expect((await get<SilenceDto[]>('/api/aiops/silences')).map((s) => s.id)).not.toContain(created.id);
    expect((await get<SilenceDto[]>('/api/aiops/silences?all=true')).find((s) => s.id === created.id)).toMatchObject({ active: false });
    await request(t.http).delete(`/api/aiops/silences/${randomUUID()}`).set(auth(admin)).expect(404);

    const bad = await request(t.http).post('/api/aiops/silences').set(auth(admin)).send({ matchers: {}, comment: 'x', durationMinutes: 0 }).expect(400);
    expect(problem(bad).errors?.map((e) => e.field)).toContain('durationMinutes');
    const empty = await request(t.http).post('/api/aiops/silences').set(auth(admin)).send({ matchers: {}, comment: 'x', durationMinutes: 5 }).expect(400);
    expect(problem(empty).errors?.map((e) => e.field)).toEqual(['matchers']);
  });
});
