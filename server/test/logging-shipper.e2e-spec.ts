/**
 * Fault tests of the log shipper against a fake Elasticsearch bulk endpoint.
 * For every fault: N lines in, N unique documents out, 0 duplicates. No timing assertions: each test waits
 * for its condition with a bounded poll.
 */
import ecsFormat from '@elastic/ecs-pino-format';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import pino from 'pino';
import { LogAggregator, ShipperDiagnostics } from '../src/core/logging/shipper/log-aggregator';
import { ShipperOptions } from '../src/core/logging/shipper/shipper-options';
import { FakeBulkServer } from './support/fake-bulk-server';

jest.setTimeout(90_000);

const servers: FakeBulkServer[] = [];
const shippers: LogAggregator[] = [];
const children: ChildProcess[] = [];

async function startServer(): Promise<FakeBulkServer> {
  const server = new FakeBulkServer();
  await server.start();
  servers.push(server);
  return server;
}

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'xiaoyu-spool-'));
}

const FAST: Partial<ShipperOptions> = { batchIntervalMs: 20, batchMaxDocs: 500, retryBaseMs: 10, retryMaxMs: 250, requestTimeoutMs: 5000 };

function startShipper(server: FakeBulkServer, options: Partial<ShipperOptions> = {}, diagnostics: ShipperDiagnostics = () => undefined) {
  const shipper = new LogAggregator({ ...FAST, node: server.url, ...options, spoolDir: options.spoolDir ?? tempDir() }, { diagnostics });
  shippers.push(shipper);
  return { shipper, logger: pino(ecsFormat(), shipper) };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function logRange(logger: pino.Logger, from: number, to: number): void {
  for (let n = from; n < to; n++) logger.info({ n }, `line ${n}`);
}

function expectExactlyOnce(server: FakeBulkServer, n: number): void {
  const stats = server.stats('n');
  expect({ stored: stats.stored, unique: stats.unique, duplicates: stats.duplicates }).toEqual({ stored: n, unique: n, duplicates: 0 });
}

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  for (const shipper of shippers.splice(0)) {
    await shipper.close(1000);
    shipper.release();
    fs.rmSync(shipper.spoolDir, { recursive: true, force: true });
  }
  for (const server of servers.splice(0)) await server.stop();
});

describe('LogAggregator against a fake bulk endpoint', () => {
  it('ships to a bulk endpoint that does not claim to be Elasticsearch (no product header, JSON as text/plain)', async () => {
    const server = await startServer();
    server.plain = true;
    const { shipper, logger } = startShipper(server);
    logRange(logger, 0, 3000);
    expect(await shipper.flush(30_000)).toBe(true);
    expectExactlyOnce(server, 3000);
  });

  it('ships every line exactly once as ECS documents in daily indices', async () => {
    const server = await startServer();
    const { shipper, logger } = startShipper(server);
    logRange(logger, 0, 5000);
    expect(await shipper.flush(30_000)).toBe(true);
    expectExactlyOnce(server, 5000);
    const [key] = server.docs.keys();
    // the fake keys a document by index and _id, joined by a NUL
    const [index] = key.split('\u0000');
    expect(index).toMatch(/^xiaoyu-ai-logs-\d{4}\.\d{2}\.\d{2}$/);
    const doc = server.documents()[0];
    expect(doc).toMatchObject({ 'log.level': 'info', message: 'line 0', n: 0 });
    expect(shipper.stats()).toMatchObject({ received: 5000, shipped: 5000, dropped: 0, deadLettered: 0 });
  });

  it('loses nothing through a 15-second outage and replays the spool after Elasticsearch returns', async () => {
    const server = await startServer();
    const { shipper, logger } = startShipper(server);
    let backlogDuringOutage = 0;
    logRange(logger, 0, 5000);
    await server.outage(15_000);
    for (let chunk = 0; chunk < 10; chunk++) {
      logRange(logger, 5000 + chunk * 1000, 6000 + chunk * 1000);
      backlogDuringOutage = Math.max(backlogDuringOutage, shipper.stats().pendingBytes);
      await new Promise((r) => setTimeout(r, 500));
    }
    await waitFor(() => !server.isDown, 'the outage to end', 30_000);
    logRange(logger, 15_000, 20_000);
    await waitFor(() => server.docs.size >= 20_000, '20,000 documents');
    expect(await shipper.flush(30_000)).toBe(true);
    expectExactlyOnce(server, 20_000);
    expect(backlogDuringOutage).toBeGreaterThan(1024 * 1024); // the outage's lines waited in the on-disk spool
    expect(shipper.stats()).toMatchObject({ shipped: 20_000, dropped: 0, pendingBytes: 0 });
    expect(shipper.stats().retried).toBeGreaterThan(0);
  });

  it('rides out a 429 storm', async () => {
    const server = await startServer();
    const { shipper, logger } = startShipper(server);
    server.setFault({ kind: 'status', status: 429 });
    logRange(logger, 0, 3000);
    await waitFor(() => server.stats().bulkRequests >= 5, 'several rejected bulk requests');
    server.setFault({ kind: 'none' });
    expect(await shipper.flush(30_000)).toBe(true);
    expectExactlyOnce(server, 3000);
    expect(shipper.stats().bulkFailures).toBeGreaterThanOrEqual(5);
  });

  it('retries through 503 answers and dropped connections', async () => {
    const server = await startServer();
    const { shipper, logger } = startShipper(server);
    server.setFault({ kind: 'status', status: 503 });
    logRange(logger, 0, 1000);
    await waitFor(() => server.stats().bulkRequests >= 3, 'rejected bulk requests');
    server.setFault({ kind: 'drop' });
    logRange(logger, 1000, 2000);
    await waitFor(() => shipper.stats().bulkFailures >= 6, 'dropped connections');
    server.setFault({ kind: 'none' });
    expect(await shipper.flush(30_000)).toBe(true);
    expectExactlyOnce(server, 2000);
  });

  it('retries only the failed items of a partially failed bulk', async () => {
    const server = await startServer();
    const { shipper, logger } = startShipper(server);
    server.setFault({ kind: 'fail-items', every: 7, status: 429, times: 2 });
    logRange(logger, 0, 4000);
    expect(await shipper.flush(30_000)).toBe(true);
    expectExactlyOnce(server, 4000);
    const failed = server.stats().failedItems;
    expect(failed).toBeGreaterThan(0);
    // every retry resent a failed item only: no 409s, i.e. no stored item was sent twice
    expect(server.stats().conflicts).toBe(0);
    expect(shipper.stats().retried).toBe(failed);
  });

  it('sends documents Elasticsearch refuses as malformed to the dead-letter file instead of looping', async () => {
    const server = await startServer();
    const { shipper, logger } = startShipper(server);
    for (let n = 0; n < 1000; n++) {
      if (n % 100 === 0) logger.info({ n, poison: true }, 'bad document');
      else logger.info({ n }, 'good document');
    }
    expect(await shipper.flush(30_000)).toBe(true);
    expectExactlyOnce(server, 990);
    expect(shipper.stats().deadLettered).toBe(10);
    const dead = fs
      .readFileSync(shipper.deadLetterPath, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(dead).toHaveLength(10);
    expect(dead[0]).toMatchObject({ reason: { type: 'document_parsing_exception' }, document: { poison: true } });
  });

  it('does not duplicate when a slow answer times out after the documents were stored', async () => {
    const server = await startServer();
    // undici checks timeouts about once a second, so the answer comes well after the client gave up
    const { shipper, logger } = startShipper(server, { requestTimeoutMs: 300 });
    server.setFault({ kind: 'slow', delayMs: 2500 });
    logRange(logger, 0, 1500);
    await waitFor(() => shipper.stats().bulkFailures >= 2 && server.docs.size > 0, 'timed-out bulk requests');
    server.setFault({ kind: 'none' });
    expect(await shipper.flush(30_000)).toBe(true);
    expectExactlyOnce(server, 1500);
    expect(server.stats().conflicts).toBeGreaterThan(0); // the replays were answered 409 = already stored
  });

  it('replays what was spooled when a new shipper starts on the same spool after a clean stop', async () => {
    const server = await startServer();
    const spoolDir = tempDir();
    await server.goDown();
    const first = new LogAggregator({ ...FAST, node: server.url, spoolDir }, { diagnostics: () => undefined });
    logRange(pino(ecsFormat(), first), 0, 3000);
    expect(await first.close(200)).toBe(false);
    first.release();
    await server.comeBack();
    const { shipper } = startShipper(server, { spoolDir });
    expect(await shipper.flush(30_000)).toBe(true);
    expectExactlyOnce(server, 3000);
  });

  it('replays the spool of a process killed with kill -9 without loss or duplicates', async () => {
    const server = await startServer();
    const spoolDir = tempDir();
    server.setFault({ kind: 'slow', delayMs: 300 }); // keep a bulk in flight when the kill lands
    const first = spawnChild({ ES_URL: server.url, SPOOL_DIR: spoolDir, FROM: '0', COUNT: '6000' });
    await first.line((l) => l.written !== undefined);
    await waitFor(() => server.docs.size >= 1000, 'the first child to ship part of its logs');
    first.process.kill('SIGKILL');
    await new Promise((r) => first.process.once('exit', r));
    const shippedBeforeKill = server.docs.size;
    expect(shippedBeforeKill).toBeLessThan(6000);
    server.setFault({ kind: 'none' });
    const second = spawnChild({ ES_URL: server.url, SPOOL_DIR: spoolDir, FROM: '6000', COUNT: '1000', FLUSH: '1' });
    const { stats } = (await second.line((l) => l.stats !== undefined)) as { stats: { dropped: number } };
    expect(stats.dropped).toBe(0);
    expectExactlyOnce(server, 7000);
    fs.rmSync(spoolDir, { recursive: true, force: true });
  });

  it('drops loudly, and only beyond the spool cap', async () => {
    const server = await startServer();
    const warnings: string[] = [];
    const { shipper, logger } = startShipper(server, { spoolMaxBytes: 256 * 1024, spoolSegmentBytes: 32 * 1024 }, (level, message) => {
      if (level === 'error') warnings.push(message);
    });
    await server.goDown();
    logRange(logger, 0, 3000);
    const { dropped, received } = shipper.stats();
    expect(received).toBe(3000);
    expect(dropped).toBeGreaterThan(0);
    expect(warnings.some((w) => w.includes('DROPPING LOGS'))).toBe(true);
    expect(shipper.stats().spooledBytes).toBeLessThanOrEqual(256 * 1024);
    await server.comeBack();
    expect(await shipper.flush(30_000)).toBe(true);
    // everything that was not dropped arrives exactly once
    expectExactlyOnce(server, 3000 - dropped);
  });
});

function spawnChild(env: Record<string, string>) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(__dirname, 'support/shipper-child.ts')], {
    cwd: path.join(__dirname, '..'),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const lines: Array<Record<string, unknown>> = [];
  let buffer = '';
  child.stdout.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      lines.push(JSON.parse(buffer.slice(0, nl)) as Record<string, unknown>);
      buffer = buffer.slice(nl + 1);
    }
  });
  return {
    process: child,
    async line(match: (l: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
      await waitFor(() => lines.some(match), 'a line from the child process', 60_000);
      return lines.find(match)!;
    },
  };
}
