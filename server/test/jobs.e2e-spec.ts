import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import { Job, Queue, Worker } from 'bullmq';
import request from 'supertest';
import type { ProblemDetails } from '../src/core/errors/problem';
import type { JobStatusDto } from '../src/core/jobs/dto/job.dto';
import { JobProcessor, type JobContext } from '../src/core/jobs/job-processor';
import { JobsService, type OwnedJobData } from '../src/core/jobs/jobs.service';
import { redisOptionsFromUrl } from '../src/core/jobs/redis-connection';
import { QUEUES } from '../src/core/jobs/queues';
import { RedisAvailability } from '../src/core/jobs/redis-availability.service';
import { startServerProcess, type ServerProcess } from './support/server-process';
import { ADMIN, eventually, loginAdmin, registerUser, Session, startTestApp, TestApp } from './support/test-app';

/** Reads a Server-Sent Events stream until it ends; returns the `status` events' payloads. */
interface StatusEvent {
  state: string;
  progress: { percent: number; stage: string };
}

function readEvents(url: string, onEvent: (event: StatusEvent) => void): Promise<{ contentType: string; events: StatusEvent[] }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (response) => {
        let buffer = '';
        const events: StatusEvent[] = [];
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          buffer += chunk;
          const blocks = buffer.split('\n\n');
          buffer = blocks.pop() ?? '';
          for (const block of blocks.filter((b) => b.includes('event: status'))) {
            const event = JSON.parse(
              block
                .split('\n')
                .find((line) => line.startsWith('data: '))!
                .slice(6),
            ) as StatusEvent;
            events.push(event);
            onEvent(event);
          }
        });
        response.on('end', () => resolve({ contentType: String(response.headers['content-type']), events }));
      })
      .on('error', reject);
  });
}

describe('job pattern on the real Redis (API role; the test plays the worker)', () => {
  let t: TestApp;
  let owner: Session;
  let worker: Worker | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { ROLE: 'api' } });
    await eventually(() => Promise.resolve(t.app.get(RedisAvailability).isUp() || undefined));
    owner = await registerUser(t.http);
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await worker?.close();
    await t.close();
  });

  it('reports queued → active with stage progress → completed with the result, live over SSE', async () => {
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.musicGeneration));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const id = randomUUID();
    await queue.add('selftest', { userId: owner.user.id }, { jobId: id });

    const auth = { Authorization: `Bearer ${owner.accessToken}` };
    const queued = await request(t.http).get(`/api/jobs/music-generation/${id}`).set(auth).expect(200);
    expect(queued.body).toMatchObject({ id, state: 'queued', progress: { percent: 0 } });

    let sawComposing!: () => void;
    const composingSeen = new Promise<void>((resolve) => (sawComposing = resolve));
    const stream = readEvents(`${baseUrl}/api/jobs/music-generation/${id}/events?access_token=${owner.accessToken}`, (event) => {
      if (event.progress.stage === 'composing') sawComposing();
    });
    worker = new Worker(
      QUEUES.musicGeneration,
      async (job: Job) => {
        await job.updateProgress({ percent: 50, stage: 'composing' });
        await gate;
        return { answer: 42 };
      },
      { connection: { ...redisOptionsFromUrl(t.config.REDIS_URL), maxRetriesPerRequest: null }, prefix: t.config.QUEUE_PREFIX },
    );

    const active = await eventually(async () => {
      const body = (await request(t.http).get(`/api/jobs/music-generation/${id}`).set(auth)).body as JobStatusDto;
      return body.state === 'active' && body.progress.stage === 'composing' ? body : undefined;
    });
    expect(active.progress).toEqual({ percent: 50, stage: 'composing' });
    await composingSeen;
    release();

    const { contentType, events } = await stream;
    expect(contentType).toContain('text/event-stream');
    expect(events.at(-1)).toMatchObject({ state: 'completed', progress: { percent: 100, stage: 'done' }, result: { answer: 42 } });
    expect(events.some((event) => event.progress.stage === 'composing')).toBe(true);
  });

  it('hides a job from other users (404) but shows it to an admin', async () => {
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.musicGeneration));
    const id = randomUUID();
    await queue.add('selftest', { userId: owner.user.id }, { jobId: id, delay: 60_000 });
    const stranger = await registerUser(t.http);
    const hidden = await request(t.http).get(`/api/jobs/music-generation/${id}`).set('Authorization', `Bearer ${stranger.accessToken}`);
    expect(hidden.status).toBe(404);
    const admin = await loginAdmin(t.http);
    await request(t.http).get(`/api/jobs/music-generation/${id}`).set('Authorization', `Bearer ${admin.accessToken}`).expect(200);
  });

  it('rejects an SSE request without a token and a malformed job id', async () => {
    await request(t.http).get(`/api/jobs/music-generation/${randomUUID()}/events`).expect(401);
    const bad = await request(t.http).get('/api/jobs/music-generation/not-a-uuid').set('Authorization', `Bearer ${owner.accessToken}`);
    expect(bad.status).toBe(400);
    const unknownQueue = await request(t.http).get(`/api/jobs/nope/${randomUUID()}`).set('Authorization', `Bearer ${owner.accessToken}`);
    expect(unknownQueue.status).toBe(404);
  });
});

describe('JobsService on the real Redis (API role; the test plays the worker)', () => {
  let t: TestApp;
  let jobs: JobsService;
  let queue: Queue;
  const workers: Worker[] = [];
  const connection = () => ({ connection: { ...redisOptionsFromUrl(t.config.REDIS_URL), maxRetriesPerRequest: null }, prefix: t.config.QUEUE_PREFIX });

  beforeAll(async () => {
    t = await startTestApp({ env: { ROLE: 'api' } });
    await eventually(() => Promise.resolve(t.app.get(RedisAvailability).isUp() || undefined));
    jobs = t.app.get(JobsService);
    queue = t.app.get<Queue>(getQueueToken(QUEUES.musicGeneration));
  });
  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await t.close();
  });

  it('queues a job under the id its caller chose', async () => {
    const id = randomUUID();
    const accepted = await jobs.submit(QUEUES.musicGeneration, 'selftest', { userId: 'u1' }, { id, jobOptions: { delay: 60_000 } });
    expect(accepted).toMatchObject({ id, state: 'queued', eventsUrl: `/api/jobs/music-generation/${id}/events` });
    expect((await queue.getJob(id))?.data).toEqual({ userId: 'u1' });
  });

  it('cancels a job that has not started, but lets a running one finish', async () => {
    const waiting = randomUUID();
    await jobs.submit(QUEUES.musicGeneration, 'selftest', { userId: 'u1' }, { id: waiting, jobOptions: { delay: 60_000 } });
    expect(await jobs.cancel(QUEUES.musicGeneration, waiting)).toBe(true);
    expect(await queue.getJob(waiting)).toBeUndefined();
    expect(await jobs.cancel(QUEUES.musicGeneration, randomUUID())).toBe(false);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const running = randomUUID();
    const worker = new Worker(QUEUES.musicGeneration, () => gate, connection());
    workers.push(worker);
    await jobs.submit(QUEUES.musicGeneration, 'selftest', { userId: 'u1' }, { id: running });
    await eventually(async () => ((await queue.getJob(running))?.processedOn ? true : undefined));
    expect(await jobs.cancel(QUEUES.musicGeneration, running)).toBe(false);
    release();
    await eventually(async () => ((await queue.getJob(running))?.finishedOn ? true : undefined));
  });

  it('finishes a job whose progress cannot be written because the job was removed meanwhile, and logs why', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const name = `progress-selftest-${randomUUID().slice(0, 8)}`;
    const selftest = new Queue(name, connection());
    const id = randomUUID();
    let finished!: (result: string) => void;
    const outcome = new Promise<string>((resolve) => (finished = resolve));
    class VanishingJobProcessor extends JobProcessor<OwnedJobData, string> {
      protected async run({ id: jobId, progress }: JobContext<OwnedJobData>): Promise<string> {
        // What a removal leaves behind: no job hash, so BullMQ's updateProgress rejects with "Missing key".
        await (await selftest.client).del(`${t.config.QUEUE_PREFIX}:${name}:${jobId}`);
        progress.report({ percent: 50, stage: 'composing' });
        await progress.settled();
        return 'rendered';
      }
    }
    const processor = new VanishingJobProcessor();
    const worker = new Worker(
      name,
      async (job: Job<OwnedJobData>) => {
        const result = await processor.process(job);
        finished(result);
        return result;
      },
      connection(),
    );
    // Completing a job that no longer exists fails inside BullMQ too; the app's WorkerStarter logs such errors.
    worker.on('error', () => undefined);
    workers.push(worker);
    try {
      await selftest.add('selftest', { userId: 'u1' }, { jobId: id });
      await expect(outcome).resolves.toBe('rendered');
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ queue: name, jobId: id, stage: 'composing', reason: expect.stringMatching(/Missing key/) as unknown }),
        expect.stringContaining(`Progress update of job ${id} on ${name} failed`),
      );
    } finally {
      warn.mockRestore();
      await selftest.obliterate({ force: true });
      await selftest.close();
    }
  });
});

/**
 * The real process, as it runs when Redis is unreachable: its Redis clients (BullMQ's queues and workers, the Socket.IO
 * adapter) retry in the background, and a client library may reject a promise nobody awaits as it gives up at
 * shutdown, which the process logs instead of ending on (main.ts); inside Jest's own process such a stray would fail
 * the test that happens to be running.
 */
describe('when Redis is down', () => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServerProcess({ REDIS_URL: 'redis://127.0.0.1:6399', ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password });
  }, 120_000);
  afterAll(() => server?.stop());

  it('still starts and stays ready, says so in health, and answers job endpoints with 503 + Retry-After', async () => {
    const http = server.base;
    await request(http).get('/api/health/live').expect(200);
    // Every replica shares Redis: its outage must not take them all out of service while sign-in and stored data work.
    const ready = await request(http).get('/api/health/ready');
    expect(ready.status).toBe(200);
    expect((ready.body as { details: Record<string, { status: string }> }).details.database.status).toBe('up');

    const session = await registerUser(http);
    const health = await request(http).get('/api/health').set('Authorization', `Bearer ${session.accessToken}`);
    expect(health.status).toBe(503);
    expect((health.body as { details: Record<string, { status: string }> }).details.redis.status).toBe('down');

    const status = await request(http).get(`/api/jobs/music-generation/${randomUUID()}`).set('Authorization', `Bearer ${session.accessToken}`);
    expect(status.status).toBe(503);
    expect(status.headers['retry-after']).toBe('10');
    expect(status.headers['content-type']).toContain('application/problem+json');
    expect((status.body as ProblemDetails).detail).toMatch(/Redis/);

    const admin = await loginAdmin(http);
    await request(http).get('/api/system/queues').set('Authorization', `Bearer ${admin.accessToken}`).expect(503);
    // Still running after its Redis clients' failed attempts.
    expect(server.child.exitCode).toBeNull();
  });
});
