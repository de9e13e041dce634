import request from 'supertest';
import type { FieldError, ProblemDetails } from '../src/core/errors/problem';
import type { AnomalyDetectResultDto } from '../src/aiops/dto/anomaly-detect.dto';
import type { LogPatternsResultDto } from '../src/aiops/dto/log-patterns.dto';
import { AiopsRepository } from '../src/aiops/aiops.repository';
import { detect, mine } from '../src/aiops/engine';
import { DATABASE, type Database } from '../src/core/db/database';
import { loginAdmin, registerUser, Session, startTestApp, TestApp } from './support/test-app';

const problem = (res: request.Response) => res.body as ProblemDetails & { errors: FieldError[] };

/** A noisy daily-ish series with one spike at index `spikeAt`. */
function series(length: number, spikeAt: number, start = Date.UTC(2026, 0, 1)): { timestamp: number; value: number }[] {
  let seed = 7;
  const rand = () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5;
  return Array.from({ length }, (_, i) => ({ timestamp: start + i * 60_000, value: i === spikeAt ? 400 : 100 + 10 * Math.sin(i / 30) + 4 * rand() }));
}

jest.setTimeout(120_000);

/** The two stateless endpoints: any series scored, any log lines mined, on worker threads; bad input named. */
describe('aiops stateless analysis (e2e)', () => {
  let t: TestApp;
  let admin: Session;
  let user: Session;
  const auth = (s: Session) => ({ Authorization: `Bearer ${s.accessToken}` });

  beforeAll(async () => {
    t = await startTestApp();
    admin = await loginAdmin(t.http);
    user = await registerUser(t.http);
  });
  afterAll(() => t.close());

  it('scores a series exactly as the engine does, with ISO or epoch timestamps, and finds the spike', async () => {
    const points = series(600, 400);
    const res = await request(t.http).post('/api/aiops/anomaly/detect').set(auth(admin)).send({ points }).expect(200);
    const body = res.body as AnomalyDetectResultDto;
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(body).toEqual(detect(points));
    expect(body.scores).toHaveLength(600);
    expect(body.anomalies.some((a) => a.start <= 400 && a.end >= 400)).toBe(true);

    const iso = points.map((p) => ({ timestamp: new Date(p.timestamp).toISOString(), value: p.value }));
    const fromIso = (await request(t.http).post('/api/aiops/anomaly/detect').set(auth(admin)).send({ points: iso }).expect(200)).body as AnomalyDetectResultDto;
    expect(fromIso.scores).toEqual(body.scores);
  });

  it('accepts 200,000 points (a body above the global 1 MB limit) and refuses 200,001 with 413 naming points', async () => {
    const points = series(200_000, 150_000);
    const res = await request(t.http).post('/api/aiops/anomaly/detect').set(auth(admin)).send({ points }).expect(200);
    expect((res.body as AnomalyDetectResultDto).scores).toHaveLength(200_000);

    points.push({ timestamp: points[points.length - 1].timestamp + 60_000, value: 1 });
    const tooMany = await request(t.http).post('/api/aiops/anomaly/detect').set(auth(admin)).send({ points }).expect(413);
    expect(tooMany.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(problem(tooMany).errors).toEqual([expect.objectContaining({ field: 'points' })]);
  });

  it('answers bad series with 400 problem+json naming the field', async () => {
    const post = (body: unknown) =>
      request(t.http)
        .post('/api/aiops/anomaly/detect')
        .set(auth(admin))
        .send(body as object);
    const fields = async (body: unknown) => problem(await post(body).expect(400)).errors.map((e) => e.field);

    expect(await fields({ points: [] })).toEqual(['points']);
    expect(await fields({})).toEqual(['points']);
    expect(await fields({ points: 'nope' })).toEqual(['points']);
    const points: unknown[] = series(20, -1);
    points[17] = { timestamp: Date.now(), value: 'high' };
    expect(await fields({ points })).toEqual(['points[17].value']);
    points[17] = { timestamp: 'yesterday', value: 1 };
    expect(await fields({ points })).toEqual(['points[17].timestamp']);
    points[17] = { timestamp: Date.now(), value: null };
    expect(await fields({ points })).toEqual(['points[17].value']);
    points[17] = 5;
    expect(await fields({ points })).toEqual(['points[17]']);
    expect(await fields({ points: series(3, -1), extra: 1 })).toEqual(['extra']);
    const bad = await post({ points: [{ timestamp: 1, value: 'x' }] }).expect(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(problem(bad).detail).toContain('points[0].value');
  });

  it('mines log lines exactly as the engine does', async () => {
    const lines = Array.from({ length: 300 }, (_, i) =>
      i % 3 === 0 ? `Connection from 10.0.${i % 7}.${i} closed after ${i} ms` : i % 3 === 1 ? `User u${i} logged in` : `Job ${1000 + i} failed: timeout`,
    );
    const body = (await request(t.http).post('/api/aiops/logs/patterns').set(auth(admin)).send({ lines }).expect(200)).body as LogPatternsResultDto;
    expect(body).toEqual(mine(lines));
    expect(body.templates).toHaveLength(3);
    expect(body.assignments).toHaveLength(300);
    expect(body.templates.map((t) => t.template)).toContain('Connection from <*> closed after <*>');
  });

  it('accepts 50,000 lines and refuses more with 413; bad lines are 400 naming the field', async () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `request ${i} served in ${i % 97} ms by worker-${i % 5}`);
    const ok = (await request(t.http).post('/api/aiops/logs/patterns').set(auth(admin)).send({ lines }).expect(200)).body as LogPatternsResultDto;
    expect(ok.assignments).toHaveLength(50_000);
    lines.push('one more');
    expect(problem(await request(t.http).post('/api/aiops/logs/patterns').set(auth(admin)).send({ lines }).expect(413)).errors[0].field).toBe('lines');

    const post = (body: unknown) =>
      request(t.http)
        .post('/api/aiops/logs/patterns')
        .set(auth(admin))
        .send(body as object);
    expect(problem(await post({ lines: [] }).expect(400)).errors[0].field).toBe('lines');
    expect(problem(await post({ lines: ['ok', 3, 'fine'] }).expect(400)).errors.map((e) => e.field)).toEqual(['lines[1]']);
  });

  it('is for admins only, and a large body from anyone else is refused as 401 or 403 without being read', async () => {
    await request(t.http)
      .post('/api/aiops/anomaly/detect')
      .set(auth(user))
      .send({ points: series(10, -1) })
      .expect(403);
    await request(t.http)
      .post('/api/aiops/logs/patterns')
      .set(auth(user))
      .send({ lines: ['a'] })
      .expect(403);
    const big = { points: series(60_000, -1) };
    await request(t.http).post('/api/aiops/anomaly/detect').send(big).expect(401);
    // A body that is not JSON shows whether it was read: parsing it would answer 400.
    const unreadable = `{"lines": [${'"x", '.repeat(400_000)}`;
    const send = (authorization?: string) => {
      const req = request(t.http).post('/api/aiops/logs/patterns').set('content-type', 'application/json');
      return authorization ? req.set('authorization', authorization).send(unreadable) : req.send(unreadable);
    };
    await send('Bearer not-a-token').expect(401);
    await send(`Bearer ${user.accessToken}`).expect(403);
    await send(`Bearer ${admin.accessToken}`).expect(400);
    // other routes keep the global 1 MB limit
    await request(t.http)
      .post('/api/auth/login')
      .send({ email: 'x@y.z', password: 'p'.repeat(2_000_000) })
      .expect(413);
  });

  it('reads a week of a series as the whole week (raw samples, then five-minute averages), thinned to the limit', async () => {
    const repo = t.app.get(AiopsRepository);
    const db = t.app.get<Database>(DATABASE);
    const series = await repo.createSeries('test_week{}', 'test_week', {}, 'api');
    const now = Date.UTC(2026, 10, 29, 12);
    const day = 86_400_000;
    const rows = [
      // six days of five-minute averages, then a day of raw samples every 15 s
      ...Array.from({ length: (6 * day) / 300_000 }, (_, i) => ({ step_s: 300, ts: new Date(now - 7 * day + i * 300_000), value: 10 })),
      ...Array.from({ length: day / 15_000 }, (_, i) => ({ step_s: 0, ts: new Date(now - day + i * 15_000), value: 20 })),
    ];
    for (let i = 0; i < rows.length; i += 2000) {
      await db
        .insertInto('aiops_samples')
        .values(rows.slice(i, i + 2000).map((r) => ({ ...r, series_id: series.id, score: 0.1 })))
        .execute();
    }

    const week = await repo.samples(series.id, new Date(now - 7 * day), new Date(now), 1000);
    expect(week.length).toBeLessThanOrEqual(1000);
    expect(week[0].ts.getTime()).toBeLessThan(now - 6 * day);
    expect(week.at(-1)!.ts.getTime()).toBeGreaterThan(now - 15 * 60_000);
    expect(week[0].value).toBe(10);
    expect(week.at(-1)!.value).toBe(20);
    // A short range is returned sample by sample.
    const hour = await repo.samples(series.id, new Date(now - 3_600_000), new Date(now), 1000);
    expect(hour).toHaveLength(240);
  });

  it('lists the log patterns of a past range without those that first appeared after it', async () => {
    const repo = t.app.get(AiopsRepository);
    const at = (iso: string) => new Date(iso);
    const pattern = (id: string, seen: string) => ({
      id,
      template: `${id} <*>`,
      component: 'api',
      level: 'info',
      count: 1,
      firstSeen: at(seen),
      lastSeen: at(seen),
      bucket: at(seen),
    });
    await repo.upsertLogPatterns([pattern('Pbefore', '2026-11-20T10:00:00Z'), pattern('Pafter', '2026-11-20T14:00:00Z')]);
    const listed = await repo.logPatterns(at('2026-11-20T09:00:00Z'), at('2026-11-20T11:00:00Z'));
    expect(listed.map((p) => p.pattern.id)).toEqual(['Pbefore']);
  });
});
