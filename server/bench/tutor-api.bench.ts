/**
 * Section 2 of bench:tutor: the same 30 s takes through `POST /api/tutor/assess` on the real application (embedded
 * PGlite in a temporary DATA_DIR, Redis at REDIS_URL or 127.0.0.1:6379): multipart upload, header check, assessment in
 * the worker pool, JSON answer; and how quickly a light request (`GET /api/health/live`) is answered while
 * assessments run, which shows the event loop stays free.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApp } from '../src/bootstrap';
import { loadConfig } from '../src/core/config/app-config';
import type { ReferenceNote } from '../src/tutor/engine';

export interface ApiTake {
  name: string;
  wav: Uint8Array;
  reference: ReferenceNote[];
}

const RUNS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchAssessApi(takes: ApiTake[]): Promise<void> {
  console.log(`\n## Through the API: POST /api/tutor/assess (real app, ${RUNS} runs per take after a warm-up, median)\n`);
  const dataDir = mkdtempSync(join(tmpdir(), 'tutor-bench-app-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    API_RATE_LIMIT: '100000',
    QUEUE_PREFIX: `bench-${randomUUID().slice(0, 8)}`,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  });
  let app: Awaited<ReturnType<typeof createApp>> | undefined;
  try {
    app = await createApp(config);
    await app.listen(0, '127.0.0.1');
    const base = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}/api`;
    const registered = await fetch(`${base}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: `bench-${randomUUID().slice(0, 8)}@xiaoyu.test`, password: 'bench-password-1' }),
    });
    const { accessToken } = (await registered.json()) as { accessToken: string };
    const assess = async (take: ApiTake): Promise<number> => {
      const form = new FormData();
      form.set('audio', new Blob([take.wav], { type: 'audio/wav' }), 'take.wav');
      form.set('reference', JSON.stringify({ notes: take.reference }));
      const t = performance.now();
      const response = await fetch(`${base}/tutor/assess`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` }, body: form });
      await response.json();
      if (!response.ok) throw new Error(`assess answered ${response.status}`);
      return performance.now() - t;
    };

    console.log('| take | upload | API wall (upload + assessment + answer) |');
    console.log('|---|---|---|');
    for (const take of takes) {
      await assess(take);
      const times: number[] = [];
      for (let r = 0; r < RUNS; r++) times.push(await assess(take));
      console.log(`| ${take.name} | ${(take.wav.length / 1e6).toFixed(1)} MB | ${median(times).toFixed(0)} ms |`);
    }

    // A health probe every 20 ms while four assessments run at once (two worker threads).
    const probes: number[] = [];
    let running = true;
    const probing = (async () => {
      while (running) {
        const t = performance.now();
        await fetch(`${base}/health/live`);
        probes.push(performance.now() - t);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    const t = performance.now();
    await Promise.all([0, 1, 2, 3].map((i) => assess(takes[i % takes.length])));
    const burstMs = performance.now() - t;
    running = false;
    await probing;
    probes.sort((a, b) => a - b);
    console.log(
      `\nfour 30 s assessments at once: all answered in ${burstMs.toFixed(0)} ms; meanwhile GET /api/health/live answered in ` +
        `median ${median(probes).toFixed(1)} ms, worst ${probes.at(-1)!.toFixed(1)} ms over ${probes.length} probes (the event loop stays free)`,
    );
  } catch (error) {
    console.log(`  skipped: ${(error as Error).message} (is Redis running at ${config.REDIS_URL}?)`);
  } finally {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
