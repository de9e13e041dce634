import { Client } from '@elastic/elasticsearch';
import Mock from '@elastic/elasticsearch-mock';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classifyItem } from './bulk-sender';
import { LogAggregator } from './log-aggregator';
import { LogSpool } from './log-spool';

/** A client whose `_bulk` answers come from `answer`; the mock parses string bodies only, the shipper sends Buffers. */
function mockClient(answer: (lines: Array<Record<string, unknown>>) => Record<string, unknown>): Client {
  const mock = new Mock();
  mock.add({ method: 'POST', path: '/_bulk' }, (params) => answer((params.body as Array<Record<string, unknown>>) ?? []));
  const MockConnection = mock.getConnection() as unknown as new (...args: unknown[]) => { request(params: { body?: unknown }, options: unknown): unknown };
  class StringBodyConnection extends MockConnection {
    override request(params: { body?: unknown }, options: unknown) {
      return super.request(Buffer.isBuffer(params.body) ? { ...params, body: params.body.toString('utf8') } : params, options);
    }
  }
  return new Client({ node: 'http://es.test:9200', Connection: StringBodyConnection as never });
}

const line = (n: number) => `{"@timestamp":"2026-11-28T10:00:00.000Z","n":${n}}\n`;

describe('LogAggregator (elasticsearch-mock)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aggregator-spec-'))));
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('counts 201 and 409 as shipped, dead-letters 400 and resends only the 429', async () => {
    const bodies: string[] = [];
    const client = mockClient((lines) => {
      bodies.push(JSON.stringify(lines));
      const docs = lines.filter((_, i) => i % 2 === 1) as Array<{ n: number }>;
      const status = (n: number) => (bodies.length > 1 ? 201 : [201, 409, 400, 429][n]);
      return { errors: true, items: docs.map((d) => ({ create: { status: status(d.n), ...(status(d.n) >= 300 ? { error: { type: 'x' } } : {}) } })) };
    });
    const shipper = new LogAggregator(
      { node: 'http://es.test:9200', spoolDir: dir, batchIntervalMs: 10, retryBaseMs: 1, retryMaxMs: 5 },
      { client, diagnostics: () => undefined },
    );
    for (let n = 0; n < 4; n++) shipper.write(line(n));
    expect(await shipper.flush(5000)).toBe(true);
    expect(shipper.stats()).toMatchObject({ received: 4, shipped: 3, alreadyStored: 1, deadLettered: 1, retried: 1, dropped: 0 });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toContain('"n":3');
    expect(bodies[1]).not.toContain('"n":0');
    expect(fs.readFileSync(shipper.deadLetterPath, 'utf8')).toContain('"n":2');
    await shipper.close(100);
    shipper.release();
  });

  it('sends nothing before its destination is ready (index template in place), then everything spooled meanwhile', async () => {
    const bodies: string[] = [];
    const client = mockClient((lines) => {
      bodies.push(JSON.stringify(lines));
      return { errors: false, items: lines.filter((_, i) => i % 2 === 1).map(() => ({ create: { status: 201 } })) };
    });
    let markReady = (): void => undefined;
    const ready = new Promise<void>((resolve) => (markReady = resolve));
    const shipper = new LogAggregator({ node: 'http://es.test:9200', spoolDir: dir, batchIntervalMs: 10 }, { client, diagnostics: () => undefined, ready });
    for (let n = 0; n < 3; n++) shipper.write(line(n));
    expect(await shipper.flush(300)).toBe(false);
    expect(bodies).toHaveLength(0);
    expect(shipper.stats()).toMatchObject({ received: 3, shipped: 0, dropped: 0, awaitingReady: true });
    markReady();
    expect(await shipper.flush(5000)).toBe(true);
    expect(shipper.stats()).toMatchObject({ shipped: 3, awaitingReady: false });
    await shipper.close(100);
    shipper.release();
  });

  it('reports a disk that refuses lines once per episode, counts every lost line, and spools again by itself', async () => {
    const diagnostics: Array<{ level: string; message: string; fields?: Record<string, unknown> }> = [];
    const shipper = new LogAggregator(
      { node: 'http://es.test:9200', spoolDir: dir, retryBaseMs: 60_000, retryMaxMs: 60_000 },
      { client: mockClient(() => ({ errors: false, items: [] })), diagnostics: (level, message, fields) => diagnostics.push({ level, message, fields }) },
    );
    const refuse = jest.spyOn(LogSpool.prototype, 'append').mockReturnValue(null); // ENOSPC: the spool's contract
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now');
    for (let n = 0; n < 6; n++) {
      clock.mockReturnValue(now + n * 11_000); // a long episode: more than the old 10 s between warnings
      shipper.write(line(n));
    }
    expect(shipper.stats()).toMatchObject({ received: 6, dropped: 6, dropping: true });
    expect(diagnostics.filter((d) => d.level === 'error')).toHaveLength(1);
    refuse.mockRestore();
    shipper.write(line(6));
    expect(shipper.stats()).toMatchObject({ received: 7, dropped: 6, dropping: false });
    expect(shipper.stats().pendingBytes).toBeGreaterThan(0);
    expect(diagnostics.at(-1)).toMatchObject({ level: 'warn', fields: { shipper: { dropped_in_episode: 6 } } });
    clock.mockRestore();
    await shipper.close(10);
    shipper.release();
  });

  it('classifies bulk items', () => {
    expect(classifyItem({ create: { status: 201 } }).outcome).toBe('stored');
    expect(classifyItem({ create: { status: 409 } }).outcome).toBe('already-stored');
    expect(classifyItem({ create: { status: 400 } }).outcome).toBe('reject');
    expect(classifyItem({ create: { status: 503 } }).outcome).toBe('retry');
    expect(classifyItem(undefined).outcome).toBe('retry');
  });
});
