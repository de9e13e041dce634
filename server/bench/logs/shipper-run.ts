/**
 * One shipper in its own process (so peak RSS is its own), driven by bench/logs.bench.ts.
 * Env: SHIPPER=ours|pino-elasticsearch, ES_URL, N, RATE (lines/s; 0 = as fast as possible), SPOOL_DIR,
 * BATCH_BYTES, BATCH_INTERVAL_MS. Reports over IPC: {started}, {written}, and on 'finish' {maxRssBytes}.
 */
import ecsFormat from '@elastic/ecs-pino-format';
import pino from 'pino';
import { LogAggregator } from '../../src/core/logging/shipper/log-aggregator';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const pinoElasticsearch = require('pino-elasticsearch') as (
  opts: Record<string, unknown>,
) => NodeJS.WritableStream & { on(e: string, f: (...a: unknown[]) => void): void };

const env = process.env;
const N = Number(env.N ?? 100_000);
const RATE = Number(env.RATE ?? 0);
const batchBytes = Number(env.BATCH_BYTES ?? 5 * 1024 * 1024);
const batchInterval = Number(env.BATCH_INTERVAL_MS ?? 1000);
const send = (m: unknown) => process.send?.(m);

function destination(): { stream: pino.DestinationStream; ours?: LogAggregator } {
  if (env.SHIPPER === 'pino-elasticsearch') {
    const stream = pinoElasticsearch({
      node: env.ES_URL,
      esVersion: 8,
      index: 'xiaoyu-ai-logs-%{DATE}',
      flushBytes: batchBytes,
      flushInterval: batchInterval,
    });
    stream.on('error', (err) => send({ event: 'error', message: err instanceof Error ? err.message : String(err) }));
    stream.on('insertError', () => undefined);
    return { stream };
  }
  const ours = new LogAggregator(
    {
      node: env.ES_URL ?? '',
      spoolDir: env.SPOOL_DIR ?? './bench-spool',
      batchMaxBytes: batchBytes,
      batchMaxDocs: 1_000_000, // like helpers.bulk: bytes and interval decide
      batchIntervalMs: batchInterval,
      retryBaseMs: 100,
      retryMaxMs: 2000,
    },
    { diagnostics: () => undefined },
  );
  return { stream: ours, ours };
}

async function main(): Promise<void> {
  process.on('disconnect', () => process.exit(0)); // the runner is gone
  const { stream, ours } = destination();
  const logger = pino(ecsFormat(), stream);
  const line = (n: number) =>
    logger.info(
      {
        n,
        http: { request: { id: `req-${n}`, method: 'GET' }, response: { status_code: 200, body: { bytes: 512 } }, route: '/api/music/tracks/:id' },
        url: { path: `/api/music/tracks/${n % 977}` },
        event: { duration: 1_250_000 + (n % 1000) * 1000 },
        user: { id: `user-${n % 50}` },
      },
      `GET /api/music/tracks/${n % 977} 200`,
    );
  send({ event: 'started', at: Date.now() });
  const chunk = RATE > 0 ? Math.max(1, Math.round(RATE / 100)) : 1000;
  const pause = RATE > 0 ? 10 : 0;
  let n = 0;
  while (n < N) {
    const end = Math.min(N, n + chunk);
    for (; n < end; n++) line(n);
    await new Promise((r) => (pause ? setTimeout(r, pause) : setImmediate(r)));
  }
  send({ event: 'written', at: Date.now() });
  const finish = async () => {
    if (ours) {
      await ours.close(2000);
      ours.release();
    }
    send({ event: 'finished', maxRssBytes: process.resourceUsage().maxRSS * 1024, stats: ours?.stats() });
    setTimeout(() => process.exit(0), 50);
  };
  process.on('message', (msg: { cmd?: string }) => {
    if (msg.cmd !== 'finish') return;
    finish().catch((err: unknown) => {
      send({ event: 'error', message: String(err) });
      process.exit(1);
    });
  });
}

main().catch((err: unknown) => {
  send({ event: 'error', message: String(err) });
  process.exit(1);
});
