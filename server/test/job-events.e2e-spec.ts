/**
 * The job status stream (`GET /api/jobs/:queue/:id/events`) through a Redis outage: the app reaches the real Redis
 * through a TCP relay that the test cuts and restores; the test plays the worker on a direct connection.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { getQueueToken } from '@nestjs/bullmq';
import { Queue, Worker } from 'bullmq';
import type { JobStatusDto } from '../src/core/jobs/dto/job.dto';
import { QUEUES } from '../src/core/jobs/queues';
import { RedisAvailability } from '../src/core/jobs/redis-availability.service';
import { redisOptionsFromUrl } from '../src/core/jobs/redis-connection';
import { openEventStream, ReceivedEvent } from './support/event-stream';
import { TcpProxy } from './support/tcp-proxy';
import { eventually, registerUser, Session, startTestApp, TestApp } from './support/test-app';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describe('job status events while Redis goes away and comes back (e2e)', () => {
  let proxy: TcpProxy;
  let t: TestApp;
  let owner: Session;
  let baseUrl: string;
  let worker: Worker | undefined;

  beforeAll(async () => {
    const redis = new URL(REDIS_URL);
    proxy = new TcpProxy(redis.hostname, Number(redis.port || 6379));
    const port = await proxy.start();
    t = await startTestApp({ env: { ROLE: 'api', REDIS_URL: `redis://127.0.0.1:${port}` } });
    await eventually(() => Promise.resolve(t.app.get(RedisAvailability).isUp() || undefined));
    owner = await registerUser(t.http);
    await new Promise<void>((resolve) => t.http.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(t.http.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await worker?.close();
    await proxy?.restore();
    await t?.close();
    await proxy?.stop();
  });

  it('sends `status` events, `unavailable` (never `error`) while the queue cannot be reached, and ends with the final status', async () => {
    const id = randomUUID();
    await t.app.get<Queue>(getQueueToken(QUEUES.musicGeneration)).add('selftest', { userId: owner.user.id }, { jobId: id });
    const stream = await openEventStream(`${baseUrl}/api/jobs/${QUEUES.musicGeneration}/${id}/events?access_token=${owner.accessToken}`);
    const status = (event: ReceivedEvent) => event.data as JobStatusDto;
    try {
      expect(stream.status).toBe(200);
      await stream.next((event) => event.type === 'status' && status(event).state === 'queued');

      await proxy.cut();
      const unavailable = await stream.next((event) => event.type === 'unavailable');
      expect(unavailable.data).toEqual({ detail: expect.stringContaining('Redis') as string });
      await proxy.restore();

      worker = new Worker(QUEUES.musicGeneration, () => Promise.resolve({ answer: 42 }), {
        connection: { ...redisOptionsFromUrl(REDIS_URL), maxRetriesPerRequest: null },
        prefix: t.config.QUEUE_PREFIX,
      });
      await stream.ended;
      const types = stream.events.map((event) => event.type);
      expect(types.indexOf('unavailable')).toBeGreaterThan(types.indexOf('status'));
      expect(new Set(types)).toEqual(new Set(['status', 'unavailable']));
      expect(stream.events.at(-1)).toMatchObject({ type: 'status', data: { state: 'completed', result: { answer: 42 } } });
      // a state is sent when it changes: the queued state was not repeated by the polls before the outage
      expect(stream.events.filter((event) => event.type === 'status' && status(event).state === 'queued')).toHaveLength(1);
    } finally {
      stream.close();
    }
  });

  it('ends the stream when the job it follows is removed', async () => {
    const id = randomUUID();
    const queue = t.app.get<Queue>(getQueueToken(QUEUES.musicGeneration));
    await worker?.pause();
    await queue.add('selftest', { userId: owner.user.id }, { jobId: id });
    const stream = await openEventStream(`${baseUrl}/api/jobs/${QUEUES.musicGeneration}/${id}/events?access_token=${owner.accessToken}`);
    try {
      await stream.next((event) => event.type === 'status');
      await queue.remove(id);
      await stream.ended;
      expect(stream.events.map((event) => event.type)).toEqual(['status']);
    } finally {
      stream.close();
      worker?.resume();
    }
  });
});
