import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../config/app-config';
import { LogShipper } from './log-shipper';

describe('LogShipper', () => {
  it('is off unless enabled', () => {
    expect(new LogShipper(loadConfig({ NODE_ENV: 'test' })).aggregator).toBeNull();
  });

  it('keeps one spool per process role and releases it on shutdown', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipper-spec-'));
    const config = loadConfig({ NODE_ENV: 'test', ENABLE_LOG_AGGREGATION: 'true', ELASTICSEARCH_URL: 'http://127.0.0.1:1', DATA_DIR: dataDir, ROLE: 'api' });
    const shipper = new LogShipper(config);
    const spoolDir = path.join(dataDir, 'log-spool', 'api');
    expect(shipper.aggregator?.spoolDir).toBe(spoolDir);
    expect(fs.existsSync(path.join(spoolDir, 'LOCK'))).toBe(true);
    await shipper.onApplicationShutdown();
    // released: the lock is gone and the next shipper (a restart in the same process, as in tests) takes the spool
    expect(fs.existsSync(path.join(spoolDir, 'LOCK'))).toBe(false);
    const next = new LogShipper(config);
    expect(next.startupError).toBeNull();
    expect(next.aggregator?.spoolDir).toBe(spoolDir);
    await next.onApplicationShutdown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('turns shipping off, instead of failing the start, when the spool directory is unusable', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'shipper-spec-'));
    const file = path.join(dir, 'not-a-dir');
    fs.writeFileSync(file, '');
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const shipper = new LogShipper(
      loadConfig({ NODE_ENV: 'test', ENABLE_LOG_AGGREGATION: 'true', ELASTICSEARCH_URL: 'http://127.0.0.1:1', LOG_SPOOL_DIR: file }),
    );
    stderr.mockRestore();
    expect(shipper.aggregator).toBeNull();
    expect(shipper.startupError).toContain('log shipping is disabled');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
