import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogSpool, SpoolLockedError } from './log-spool';

/** The disk as the spool sees it: `fullAfter` bytes more are written, then every write fails with ENOSPC. */
const disk = { fullAfter: Infinity };
jest.mock('node:fs', () => {
  const actual = jest.requireActual<typeof import('node:fs')>('node:fs');
  const enospc = () => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
  return {
    ...actual,
    writeSync: (fd: number, data: string | Buffer, offset?: number, length?: number) => {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data.subarray(offset ?? 0, (offset ?? 0) + (length ?? data.length));
      if (disk.fullAfter <= 0) throw enospc();
      const room = Math.min(bytes.length, disk.fullAfter);
      disk.fullAfter -= room;
      return actual.writeSync(fd, bytes, 0, room);
    },
    openSync: (...args: Parameters<typeof actual.openSync>) => {
      if (disk.fullAfter <= 0 && args[1] === 'a') throw enospc();
      return actual.openSync(...args);
    },
  };
});

const record = (n: number) => `{"create":{"_id":"${n}"}}\n{"n":${n}}\n`;

describe('LogSpool', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-spec-'))));
  afterEach(() => {
    disk.fullAfter = Infinity;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('reads back appended records in order across segments', async () => {
    const spool = new LogSpool(dir, 100, 1e6);
    let pos = spool.open();
    for (let n = 0; n < 20; n++) spool.append(record(n));
    const seen: string[] = [];
    for (;;) {
      const read = await spool.read(pos, 64, 1000);
      if (read.count === 0) break;
      seen.push(...read.records());
      pos = read.next;
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, n) => record(n)));
    spool.close();
  });

  it('resumes after the checkpoint and deletes acknowledged segments', async () => {
    const first = new LogSpool(dir, 100, 1e6);
    const start = first.open();
    for (let n = 0; n < 10; n++) first.append(record(n));
    const read = await first.read(start, 10_000, 2);
    expect(read.records()).toEqual([record(0), record(1)]);
    first.ack(read.next);
    first.close();

    const second = new LogSpool(dir, 100, 1e6);
    const resume = second.open();
    const seen: string[] = [];
    for (let pos = resume; ;) {
      const r = await second.read(pos, 10_000, 100);
      if (r.count === 0) break;
      seen.push(...r.records());
      pos = r.next;
    }
    expect(seen).toEqual([2, 3, 4, 5, 6, 7, 8, 9].map(record));
    second.close();
  });

  it('skips a torn record left by a crash at the end of a segment', async () => {
    fs.writeFileSync(path.join(dir, 'seg-000000000001.ndjson'), record(1) + '{"create":{"_id":"2"}}\n{"n":');
    const spool = new LogSpool(dir, 1000, 1e6);
    const start = spool.open();
    const read = await spool.read(start, 10_000, 100);
    expect(read.records()).toEqual([record(1)]);
    const next = await spool.read(read.next, 10_000, 100);
    expect(next.count).toBe(0);
    expect(next.skippedBytes).toBeGreaterThan(0);
    spool.close();
  });

  it('drops a record the full disk cut short without garbling the records written after space came back', async () => {
    const spool = new LogSpool(dir, 1000, 1e6);
    const start = spool.open();
    spool.append(record(1));
    disk.fullAfter = 10;
    expect(spool.append(record(2))).toBeNull();
    disk.fullAfter = Infinity;
    spool.append(record(3));
    const read = await spool.read(start, 10_000, 100);
    expect(read.records()).toEqual([record(1), record(3)]);
    spool.close();
  });

  it('stays writable when the disk refuses the next segment, and rotates once it has room', async () => {
    const spool = new LogSpool(dir, 60, 1e6);
    let pos = spool.open();
    spool.append(record(1));
    disk.fullAfter = 0;
    expect(spool.append(record(2))).toBeNull();
    disk.fullAfter = Infinity;
    spool.append(record(3));
    const seen: string[] = [];
    for (;;) {
      const read = await spool.read(pos, 10_000, 100);
      if (read.count === 0) break;
      seen.push(...read.records());
      pos = read.next;
    }
    expect(seen).toEqual([record(1), record(3)]);
    spool.close();
  });

  it('refuses records beyond the cap and a second owner of the directory', () => {
    const spool = new LogSpool(dir, 1000, 100);
    spool.open();
    expect(spool.append(record(1))).not.toBeNull();
    expect(spool.append('x'.repeat(200))).toBeNull();
    expect(() => new LogSpool(dir, 1000, 100).open()).toThrow(SpoolLockedError);
    spool.close();
  });
});
