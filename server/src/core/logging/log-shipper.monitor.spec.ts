import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { logShippingCheck } from './log-shipper.monitor';
import { LogAggregator } from './shipper/log-aggregator';
import { LogSpool } from './shipper/log-spool';

describe('logShippingCheck', () => {
  let dir: string;
  let aggregator: LogAggregator | undefined;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'monitor-spec-'))));
  afterEach(async () => {
    jest.restoreAllMocks();
    await aggregator?.close(10);
    aggregator?.release();
    aggregator = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('registers nothing when shipping is off', () => {
    expect(logShippingCheck({ enabled: false, aggregator: null, spoolError: null, notShipped: 0 })).toBeNull();
  });

  it('is down with the reason, and counts the lines not shipped, while the spool cannot be opened', async () => {
    const check = logShippingCheck({ enabled: true, aggregator: null, spoolError: 'log shipping is off until the spool can be opened: locked', notShipped: 3 });
    await expect(check!()).resolves.toEqual({ up: false, details: { message: 'log shipping is off until the spool can be opened: locked', notShipped: 3 } });
  });

  it('stays up while Elasticsearch is unreachable and goes down once the spool is full', async () => {
    // nothing listens on port 1: every bulk request fails and the lines stay in the spool
    aggregator = new LogAggregator(
      { node: 'http://127.0.0.1:1', spoolDir: dir, spoolMaxBytes: 64 * 1024, spoolSegmentBytes: 8 * 1024, retryBaseMs: 60_000, retryMaxMs: 60_000 },
      { diagnostics: () => undefined },
    );
    const check = logShippingCheck({ enabled: true, aggregator, spoolError: null, notShipped: 0 })!;
    aggregator.write('{"@timestamp":"2026-11-28T10:00:00.000Z","message":"one line"}\n');
    // The shipper's own counters, as in /api/metrics: nothing shipped yet, nothing refused, nothing lost.
    await expect(check()).resolves.toMatchObject({ up: true, details: { shipped: 0, deadLettered: 0, dropped: 0, retried: expect.any(Number) as unknown } });
    for (let n = 0; n < 1000; n++) aggregator.write(`{"@timestamp":"2026-11-28T10:00:00.000Z","message":"line ${n}"}\n`);
    const full = await check();
    expect(full.up).toBe(false);
    expect((full.details as { dropped: number }).dropped).toBeGreaterThan(0);
  });

  it('goes down while the disk refuses lines (ENOSPC), far below the spool cap, and up once it takes them again', async () => {
    aggregator = new LogAggregator({ node: 'http://127.0.0.1:1', spoolDir: dir, retryBaseMs: 60_000, retryMaxMs: 60_000 }, { diagnostics: () => undefined });
    const check = logShippingCheck({ enabled: true, aggregator, spoolError: null, notShipped: 0 })!;
    const diskFull = jest.spyOn(LogSpool.prototype, 'append').mockReturnValue(null);
    aggregator.write('{"@timestamp":"2026-11-28T10:00:00.000Z","message":"lost"}\n');
    await expect(check()).resolves.toMatchObject({ up: false, details: { dropped: 1, dropping: true } });
    diskFull.mockRestore();
    aggregator.write('{"@timestamp":"2026-11-28T10:00:00.000Z","message":"spooled"}\n');
    await expect(check()).resolves.toMatchObject({ up: true, details: { dropped: 1, dropping: false } });
  });
});
