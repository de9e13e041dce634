import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FakeBulkServer } from '../../../test/support/fake-bulk-server';
import { AppConfig, loadConfig } from '../config/app-config';
import { LogIndexSetup } from './log-index-setup';
import { LogShipper } from './log-shipper';

const shipperOf = (config: AppConfig) => new LogShipper(config, new LogIndexSetup(config));

describe('LogShipper', () => {
  /** Undone after each test, last first, also when an expectation failed (open sockets would keep Jest running). */
  const cleanup: Array<() => unknown> = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('is off unless enabled', () => {
    expect(shipperOf(loadConfig({ NODE_ENV: 'test' })).aggregator).toBeNull();
  });

  it('keeps one spool per process role and releases it on shutdown', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipper-spec-'));
    const config = loadConfig({ NODE_ENV: 'test', ENABLE_LOG_AGGREGATION: 'true', ELASTICSEARCH_URL: 'http://127.0.0.1:1', DATA_DIR: dataDir, ROLE: 'api' });
    const shipper = shipperOf(config);
    const spoolDir = path.join(dataDir, 'log-spool', 'api');
    expect(shipper.aggregator?.spoolDir).toBe(spoolDir);
    expect(fs.existsSync(path.join(spoolDir, 'LOCK'))).toBe(true);
    await shipper.onApplicationShutdown();
    // released: the lock is gone and the next shipper (a restart in the same process, as in tests) takes the spool
    expect(fs.existsSync(path.join(spoolDir, 'LOCK'))).toBe(false);
    const next = shipperOf(config);
    expect(next.spoolError).toBeNull();
    expect(next.aggregator?.spoolDir).toBe(spoolDir);
    await next.onApplicationShutdown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts without shipping while the spool cannot be opened, and opens it once it can', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipper-spec-'));
    const spoolRoot = path.join(dir, 'spool');
    fs.writeFileSync(spoolRoot, ''); // a file where the spool directory should be: every open fails (ENOTDIR)
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const config = loadConfig({ NODE_ENV: 'test', ENABLE_LOG_AGGREGATION: 'true', ELASTICSEARCH_URL: 'http://127.0.0.1:1', LOG_SPOOL_DIR: spoolRoot });
    const shipper = shipperOf(config);
    cleanup.push(
      () => fs.rmSync(dir, { recursive: true, force: true }),
      () => shipper.onApplicationShutdown(),
      () => stderr.mockRestore(),
    );
    expect(shipper.aggregator).toBeNull();
    expect(shipper.spoolError).toMatch(/log shipping is off until the spool can be opened: ENOTDIR/);
    shipper.destination!.write('{"message":"one"}\n{"message":"two"}\n');
    expect(shipper.notShipped).toBe(2);

    fs.rmSync(spoolRoot); // the cause goes away (space freed, the old owner gone): the next attempt, 1 s later, opens it
    for (let waited = 0; !shipper.aggregator && waited < 5000; waited += 50) await new Promise((r) => setTimeout(r, 50));
    expect(shipper.aggregator?.spoolDir).toBe(path.join(spoolRoot, 'all'));
    expect(shipper.spoolError).toBeNull();
    shipper.destination!.write('{"message":"three"}\n');
    expect(shipper.aggregator!.stats().received).toBe(1);
    const said = stderr.mock.calls.map(([line]) => String(line));
    expect(said.filter((line) => line.includes('log shipping is off'))).toHaveLength(1); // once per reason, not per attempt
    expect(said.some((line) => line.includes('log shipping started') && line.includes('"lines_not_shipped":2'))).toBe(true);
  });

  /** A shipper and its index setup (not started) against a fake Elasticsearch; everything is undone after the test. */
  async function shipperAgainst(options: { plain?: boolean } = {}) {
    const es = new FakeBulkServer();
    es.plain = options.plain ?? false;
    await es.start();
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipper-spec-'));
    cleanup.push(
      () => fs.rmSync(dataDir, { recursive: true, force: true }),
      () => es.stop(),
    );
    const config = loadConfig({ NODE_ENV: 'test', ENABLE_LOG_AGGREGATION: 'true', ELASTICSEARCH_URL: es.url, DATA_DIR: dataDir, LOG_FLUSH_INTERVAL_MS: '10' });
    const setup = new LogIndexSetup(config);
    const shipper = new LogShipper(config, setup);
    cleanup.push(
      () => setup.onModuleDestroy(),
      () => shipper.onApplicationShutdown(),
    );
    return { es, setup, shipper, aggregator: shipper.aggregator! };
  }

  it('sends the first bulk only once the index template and ILM policy are installed; until then lines wait in the spool', async () => {
    const { es, setup, shipper, aggregator } = await shipperAgainst();
    shipper.destination!.write('{"@timestamp":"2026-11-28T10:00:00.000Z","message":"logged at start"}\n');
    expect(await aggregator.flush(300)).toBe(false);
    expect(es.stats().bulkRequests).toBe(0);

    setup.onApplicationBootstrap(); // the app's bootstrap installs the template
    expect(await aggregator.flush(10_000)).toBe(true);
    expect(es.templates.has('xiaoyu-ai-logs')).toBe(true);
    expect(es.documents()).toEqual([expect.objectContaining({ message: 'logged at start' })]);
  });

  it('ships without the template to an endpoint that refuses it for good (a bare _bulk endpoint, not Elasticsearch)', async () => {
    const { es, setup, shipper, aggregator } = await shipperAgainst({ plain: true });
    shipper.destination!.write('{"@timestamp":"2026-11-28T10:00:00.000Z","message":"to a plain endpoint"}\n');
    setup.onApplicationBootstrap();
    expect(await aggregator.flush(10_000)).toBe(true);
    expect(es.templates.size).toBe(0);
    expect(es.documents()).toEqual([expect.objectContaining({ message: 'to a plain endpoint' })]);
  });
});
