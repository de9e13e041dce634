/**
 * The instance `npm run bench:aiops` injects faults into: the real application (createApp, its own PostgreSQL
 * database, Redis and Elasticsearch from the environment) plus bench-only routes under /__bench that start and stop
 * in-process faults. Bench code: never part of the shipped server.
 *   POST /__bench/fault/:name/start|stop   event-loop | memory-leak | broken-route | stuck-worker | db-pool
 *   GET  /__bench/cpu                      process CPU time (µs, user + system)
 *   GET  /api/bench/broken                 200, or 500 with an error log line while broken-route is on
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import { sql } from 'kysely';
import type { NextFunction, Request, Response } from 'express';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/core/config/app-config';
import { DATABASE, Database } from '../src/core/db/database';
import { QUEUES } from '../src/core/jobs/queues';
import { MusicGenerationProcessor } from '../src/music/music.processor';

type FaultName = 'event-loop' | 'memory-leak' | 'broken-route' | 'stuck-worker' | 'db-pool';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApp(config);
  const logger = new Logger('BenchRoute');
  const timers = new Map<FaultName, NodeJS.Timeout>();
  const leak: Buffer[] = [];
  let broken = false;
  let holdPool = false;

  const faults: Record<FaultName, { start(): void; stop(): void }> = {
    // synchronous work holding the thread 800 ms of every second
    'event-loop': {
      start: () =>
        timers.set(
          'event-loop',
          setInterval(() => {
            const until = Date.now() + 800;
            while (Date.now() < until);
          }, 1000),
        ),
      stop: () => clearInterval(timers.get('event-loop')),
    },
    // 16 MB retained every second
    'memory-leak': {
      start: () =>
        timers.set(
          'memory-leak',
          setInterval(() => leak.push(Buffer.alloc(16 * 1024 * 1024, 1)), 1000),
        ),
      stop: () => {
        clearInterval(timers.get('memory-leak'));
        leak.length = 0;
      },
    },
    'broken-route': { start: () => (broken = true), stop: () => (broken = false) },
    // the worker stops taking jobs while jobs keep coming (bogus ones that fail at once when it resumes)
    'stuck-worker': {
      start: () => {
        app
          .get(MusicGenerationProcessor)
          .worker.pause(true)
          .catch(() => undefined);
        const queue = app.get<Queue>(getQueueToken(QUEUES.musicGeneration));
        timers.set(
          'stuck-worker',
          setInterval(() => void queue.add('emotion', { userId: randomUUID() }, { jobId: randomUUID(), removeOnFail: true }).catch(() => undefined), 500),
        );
      },
      stop: () => {
        clearInterval(timers.get('stuck-worker'));
        app.get(MusicGenerationProcessor).worker.resume();
      },
    },
    // every pooled connection held by a long query: requests and health checks wait for a connection
    'db-pool': {
      start: () => {
        holdPool = true;
        const db = app.get<Database>(DATABASE);
        const hold = async (): Promise<void> => {
          while (holdPool) await sql`select pg_sleep(2)`.execute(db).catch(() => undefined);
        };
        for (let i = 0; i < 12; i++) hold().catch(() => undefined);
      },
      stop: () => (holdPool = false),
    },
  };

  app.use('/api/bench/broken', (_req: Request, res: Response) => {
    if (!broken) return res.status(200).json({ ok: true });
    logger.error(`Rendering the page failed: TypeError: Cannot read properties of undefined (reading 'id') at request ${randomUUID()}`);
    return res.status(500).json({ title: 'Internal Server Error' });
  });
  app.use('/__bench', (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' && req.path === '/cpu') {
      const cpu = process.cpuUsage();
      return res.json({ cpuUs: cpu.user + cpu.system });
    }
    const match = /^\/fault\/([\w-]+)\/(start|stop)$/.exec(req.path);
    const fault = match ? faults[match[1] as FaultName] : undefined;
    if (req.method !== 'POST' || !match || !fault) return next();
    fault[match[2] as 'start' | 'stop']();
    return res.json({ fault: match[1], state: match[2] });
  });
  app.enableShutdownHooks();
  await app.listen(config.PORT, '127.0.0.1');
  process.send?.({ ready: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench target failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
