/**
 * A process that ships logs and can be killed: the restart fault test starts it, `kill -9`s it mid-flight,
 * then starts another one on the same spool directory and checks nothing was lost or duplicated.
 * Env: ES_URL, SPOOL_DIR, FROM (first sequence number), COUNT, FLUSH=1 (flush and exit cleanly at the end).
 * Writes `{"written":COUNT}` once every line is handed over, `{"stats":…}` after a clean flush.
 */
import ecsFormat from '@elastic/ecs-pino-format';
import pino from 'pino';
import { LogAggregator } from '../../src/core/logging/shipper/log-aggregator';

async function main(): Promise<void> {
  const env = process.env;
  const shipper = new LogAggregator(
    {
      node: env.ES_URL ?? 'http://127.0.0.1:9200',
      spoolDir: env.SPOOL_DIR ?? './spool',
      batchMaxDocs: Number(env.BATCH_MAX_DOCS ?? 500),
      batchIntervalMs: 50,
      retryBaseMs: 20,
      retryMaxMs: 500,
      requestTimeoutMs: Number(env.REQUEST_TIMEOUT_MS ?? 5000),
    },
    { diagnostics: () => undefined },
  );
  const logger = pino(ecsFormat(), shipper);
  const from = Number(env.FROM ?? 0);
  const count = Number(env.COUNT ?? 0);
  for (let n = from; n < from + count; n++) logger.info({ n }, 'child log line');
  process.stdout.write(`${JSON.stringify({ written: count })}\n`);
  if (env.FLUSH === '1') {
    await shipper.close(60_000);
    shipper.release();
    process.stdout.write(`${JSON.stringify({ stats: shipper.stats() })}\n`);
    process.exit(0);
  }
  setInterval(() => undefined, 1000); // stay alive, shipping, until killed
}

main().catch((err: unknown) => {
  process.stderr.write(`shipper-child failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
