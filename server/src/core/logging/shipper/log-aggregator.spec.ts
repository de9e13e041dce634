import { Client } from '@elastic/elasticsearch';
import Mock from '@elastic/elasticsearch-mock';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { classifyItem } from './bulk-sender';
import { LogAggregator } from './log-aggregator';

describe('LogAggregator (elasticsearch-mock)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aggregator-spec-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('counts 201 and 409 as shipped, dead-letters 400 and resends only the 429', async () => {
    const mock = new Mock();
    const bodies: string[] = [];
    mock.add({ method: 'POST', path: '/_bulk' }, (params) => {
      const lines = (params.body as Array<Record<string, unknown>>) ?? [];
      bodies.push(JSON.stringify(lines));
      const docs = lines.filter((_, i) => i % 2 === 1) as Array<{ n: number }>;
      const status = (n: number) => (bodies.length > 1 ? 201 : [201, 409, 400, 429][n]);
      return { errors: true, items: docs.map((d) => ({ create: { status: status(d.n), ...(status(d.n) >= 300 ? { error: { type: 'x' } } : {}) } })) };
    });
    // the mock parses string bodies only; the shipper sends Buffers (raw spool bytes), as the real transport allows
    const MockConnection = mock.getConnection() as unknown as new (...args: unknown[]) => { request(params: { body?: unknown }, options: unknown): unknown };
    class StringBodyConnection extends MockConnection {
      override request(params: { body?: unknown }, options: unknown) {
        return super.request(Buffer.isBuffer(params.body) ? { ...params, body: params.body.toString('utf8') } : params, options);
      }
    }
    const client = new Client({ node: 'http://es.test:9200', Connection: StringBodyConnection as never });
    const shipper = new LogAggregator(
      { node: 'http://es.test:9200', spoolDir: dir, batchIntervalMs: 10, retryBaseMs: 1, retryMaxMs: 5 },
      { client, diagnostics: () => undefined },
    );
    for (let n = 0; n < 4; n++) shipper.write(`{"@timestamp":"2026-11-28T10:00:00.000Z","n":${n}}\n`);
    expect(await shipper.flush(5000)).toBe(true);
    expect(shipper.stats()).toMatchObject({ received: 4, shipped: 3, alreadyStored: 1, deadLettered: 1, retried: 1, dropped: 0 });
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toContain('"n":3');
    expect(bodies[1]).not.toContain('"n":0');
    expect(fs.readFileSync(shipper.deadLetterPath, 'utf8')).toContain('"n":2');
    await shipper.close(100);
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
