import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import request from 'supertest';
import type { JobAcceptedDto } from '../src/core/jobs/dto/job.dto';
import { QUEUES } from '../src/core/jobs/queues';
import { redisOptionsFromUrl } from '../src/core/jobs/redis-connection';
import type { MusicGenerationStatusDto } from '../src/music/dto/music-generation.dto';
import { TutorAssessor } from '../src/tutor/tutor-assessor';
import { performanceWav } from './support/melody-wav';
import { startServerProcess } from './support/server-process';
import { eventually, registerUser, startTestApp } from './support/test-app';

jest.setTimeout(120_000);

describe('graceful shutdown of the real process', () => {
  it('finishes the in-flight request on SIGTERM, then exits by the signal', async () => {
    const server = await startServerProcess();
    const { base } = server;

    // Registration hashes a password with scrypt, so it is still running when the signal arrives.
    const inFlight = request(base).post('/api/auth/register').send({ email: 'late@xiaoyu.test', password: 'late-password-1' });
    // Starts the request now (a supertest request is sent when first awaited or then'd).
    const response = new Promise<request.Response>((resolve, reject) => {
      inFlight.then(resolve, reject);
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    server.child.kill('SIGTERM');

    expect((await response).status).toBe(201);
    // Nest closes everything, then re-raises the signal so the exit status says why the process ended.
    const { code, signal } = await server.exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    await expect(request(base).get('/api/health/live')).rejects.toThrow();
    expect(server.output()).not.toMatch(/Error/);
    await server.stop();
  });

  it('ends an open Server-Sent-Events stream on SIGTERM instead of waiting out the grace period', async () => {
    const server = await startServerProcess({ QUEUE_PREFIX: `shutdown-${randomUUID().slice(0, 8)}`, SHUTDOWN_GRACE_MS: '20000' });
    const session = (await request(server.base).post('/api/auth/register').send({ email: 'sse@xiaoyu.test', password: 'sse-password-1' }).expect(201)).body as {
      accessToken: string;
    };
    // An API replica runs no worker: the job stays queued, so its event stream would stay open for good.
    const job = (
      await request(server.base)
        .post('/api/music/generate/emotion')
        .set('Authorization', `Bearer ${session.accessToken}`)
        .send({ emotion: 'calm', durationSec: 10, seed: 3 })
        .expect(202)
    ).body as JobAcceptedDto;
    const stream = await fetch(`${server.base}${job.eventsUrl!}?access_token=${session.accessToken}`);
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    await reader.read();

    const signalled = Date.now();
    server.child.kill('SIGTERM');
    // The stream ends (its client would reconnect to another replica), and the process exits by the signal.
    while (!(await reader.read()).done);
    const { code, signal } = await server.exited;
    expect(code === 0 || signal === 'SIGTERM').toBe(true);
    expect(Date.now() - signalled).toBeLessThan(10_000);
    await server.stop();
  });

  it('lets an in-flight request finish before the pools it uses close (the assessment workers)', async () => {
    const t = await startTestApp();
    const { accessToken } = await registerUser(t.http);
    const assessor = t.app.get(TutorAssessor);
    const assess = assessor.assess.bind(assessor);
    let started = () => {};
    const running = new Promise<void>((resolve) => (started = resolve));
    jest.spyOn(assessor, 'assess').mockImplementation((...args) => {
      started();
      return assess(...args);
    });
    const melody = [60, 62, 64, 65, 67, 64, 62, 60].map((pitch, i) => ({ pitch, start: i * 0.6, duration: 0.5 }));
    const response = new Promise<request.Response>((resolve, reject) => {
      request(t.http)
        .post('/api/tutor/assess')
        .set('Authorization', `Bearer ${accessToken}`)
        .attach('audio', performanceWav(melody, { leadIn: 0.7 }), 'take.wav')
        .field('reference', JSON.stringify({ notes: melody }))
        .then(resolve, reject);
    });
    await running;
    const closed = t.close();
    expect((await response).status).toBe(200);
    await closed;
  });

  it('lets a running job finish before the feature modules close what it uses (the render pool)', async () => {
    const t = await startTestApp({ env: { ROLE: 'all' } });
    const queue = new Queue(QUEUES.musicGeneration, { connection: redisOptionsFromUrl(t.config.REDIS_URL), prefix: t.config.QUEUE_PREFIX });
    try {
      const { accessToken } = await registerUser(t.http);
      const auth = { Authorization: `Bearer ${accessToken}` };
      const job = (await request(t.http).post('/api/music/generate/emotion').set(auth).send({ emotion: 'calm', durationSec: 60, seed: 7 }).expect(202))
        .body as JobAcceptedDto;
      await eventually(
        async () => {
          const status = (await request(t.http).get(job.statusUrl).set(auth).expect(200)).body as MusicGenerationStatusDto;
          if (status.state === 'completed') throw new Error('the piece was done before the shutdown could start; make it longer');
          return status.state === 'active' && status.progress.stage === 'rendering' ? true : undefined;
        },
        { timeoutMs: 60_000, intervalMs: 10 },
      );

      await t.close();

      const finished = await queue.getJob(job.id);
      expect(await finished?.getState()).toBe('completed');
    } finally {
      await queue.close();
    }
  });
});
