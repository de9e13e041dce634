import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { LogSpool, SpoolLockedError } from './log-spool';

/**
 * The disk as the spool sees it: `fullAfter` bytes more are written, then every write fails with ENOSPC.
 * `refuseSegments`: only opening a file for appending fails (ENOSPC), the small lock file is still written.
 * `afterLockRead` runs once, right after the spool read its LOCK file (a rival process acting in that instant).
 */
const disk: { fullAfter: number; refuseSegments: boolean; afterLockRead: (() => void) | null } = {
  fullAfter: Infinity,
  refuseSegments: false,
  afterLockRead: null,
};
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
      if ((disk.fullAfter <= 0 || disk.refuseSegments) && args[1] === 'a') throw enospc();
      return actual.openSync(...args);
    },
    writeFileSync: (...args: Parameters<typeof actual.writeFileSync>) => {
      if (disk.fullAfter <= 0) {
        actual.writeFileSync(args[0], ''); // as on a real full disk: the file is created, its content refused
        throw enospc();
      }
      return actual.writeFileSync(...args);
    },
    readFileSync: (...args: Parameters<typeof actual.readFileSync>) => {
      const content = actual.readFileSync(...args);
      const rival = disk.afterLockRead;
      if (rival && String(args[0]).endsWith(`${path.sep}LOCK`)) {
        disk.afterLockRead = null;
        rival();
      }
      return content;
    },
  };
});

const record = (n: number) => `{"create":{"_id":"${n}"}}\n{"n":${n}}\n`;

describe('LogSpool', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-spec-'))));
  afterEach(() => {
    disk.fullAfter = Infinity;
    disk.refuseSegments = false;
    disk.afterLockRead = null;
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

  it('frees acknowledged segments even when the full disk refuses the checkpoint, so the space comes back', async () => {
    const spool = new LogSpool(dir, 60, 1e6); // one record per segment
    let pos = spool.open();
    for (let n = 0; n < 5; n++) spool.append(record(n));
    for (let read = await spool.read(pos, 10_000, 100); read.count > 0; read = await spool.read(pos, 10_000, 100)) pos = read.next;
    disk.fullAfter = 0;
    expect(spool.append(record(5))).toBeNull();
    expect(() => spool.ack(pos)).toThrow(/ENOSPC/);
    // only the segment the acknowledged position lies in is left
    expect(spool.bytes).toBe(record(4).length);
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('seg-'))).toHaveLength(1);
    spool.close();
  });

  it('gives its lock back when the disk refuses its first segment, so it can be opened once there is room', () => {
    disk.refuseSegments = true;
    expect(() => new LogSpool(dir, 1000, 1e6).open()).toThrow(/ENOSPC/);
    expect(fs.readdirSync(dir)).toEqual([]);
    disk.refuseSegments = false;
    const spool = new LogSpool(dir, 1000, 1e6);
    expect(spool.open()).toEqual({ segment: 1, offset: 0 });
    spool.close();
  });

  it('leaves no lock file behind when the full disk refuses even the lock', () => {
    disk.fullAfter = 0;
    expect(() => new LogSpool(dir, 1000, 1e6).open()).toThrow(/ENOSPC/);
    expect(fs.readdirSync(dir)).toEqual([]);
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

describe('LogSpool lock', () => {
  const serverDir = path.resolve(__dirname, '../../../..');
  let dir: string;
  let liveOwner: { child: ChildProcess; lock: string };
  const children: ChildProcess[] = [];
  const onLinux = fs.existsSync('/proc/self/stat');

  /** Node code that opens a spool on `spoolDir` with this very module, as another process would. */
  const openSpoolIn = (spoolDir: string) =>
    `new (require(${JSON.stringify(path.join(__dirname, 'log-spool.ts'))}).LogSpool)(${JSON.stringify(spoolDir)}, 1000, 1e6).open();`;
  const nodeArgs = (code: string) => ['-r', '@swc-node/register', '-e', code];

  /** The LOCK this process writes, with another pid in it: what a process that had that pid would have left. */
  function lockOf(pid: number): string {
    const own = new LogSpool(dir, 1000, 1e6);
    own.open();
    const lock = fs.readFileSync(path.join(dir, 'LOCK'), 'utf8');
    own.close();
    return lock.replace(String(process.pid), String(pid));
  }

  async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
    for (let waited = 0; waited < 20_000; waited += 50) {
      const value = probe();
      if (value !== undefined) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  let ownerDir: string;

  beforeAll(async () => {
    ownerDir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-owner-'));
    const child = spawn(process.execPath, nodeArgs(`${openSpoolIn(ownerDir)} setInterval(() => undefined, 1000);`), { cwd: serverDir, stdio: 'ignore' });
    children.push(child);
    const lock = await until(
      () => (fs.existsSync(path.join(ownerDir, 'LOCK')) ? fs.readFileSync(path.join(ownerDir, 'LOCK'), 'utf8') : undefined),
      'the owner process',
    );
    liveOwner = { child, lock };
  });
  afterAll(() => {
    for (const child of children) child.kill('SIGKILL');
    fs.rmSync(ownerDir, { recursive: true, force: true });
  });
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'spool-lock-spec-'))));
  afterEach(() => {
    disk.afterLockRead = null;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a directory whose lock belongs to a running process', () => {
    fs.writeFileSync(path.join(dir, 'LOCK'), liveOwner.lock);
    expect(() => new LogSpool(dir, 1000, 1e6).open()).toThrow(SpoolLockedError);
  });

  it('takes over a lock whose pid now belongs to an unrelated running process (pid reused)', () => {
    fs.writeFileSync(path.join(dir, 'LOCK'), lockOf(liveOwner.child.pid!));
    const spool = new LogSpool(dir, 1000, 1e6);
    expect(() => spool.open()).not.toThrow();
    spool.close();
  });

  (onLinux ? it : it.skip)('takes over the lock of a process that exited but was never reaped (a zombie)', async () => {
    // the owner opens the spool and exits; `exec sleep` leaves it with a parent that never waits for it
    const shell = spawn('sh', ['-c', '"$NODE" -r @swc-node/register -e "$CODE" & echo $!; exec sleep 60'], {
      cwd: serverDir,
      env: { ...process.env, NODE: process.execPath, CODE: openSpoolIn(dir) },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    children.push(shell);
    let out = '';
    shell.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const pid = await until(() => (out.includes('\n') ? Number(out.trim()) : undefined), 'the owner pid');
    const state = () => (fs.existsSync(`/proc/${pid}/stat`) ? fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] : undefined);
    await until(() => (state() === 'Z' ? true : undefined), 'the owner to exit');
    expect(fs.readFileSync(path.join(dir, 'LOCK'), 'utf8')).toContain(String(pid));
    const spool = new LogSpool(dir, 1000, 1e6);
    expect(() => spool.open()).not.toThrow();
    spool.close();
  });

  it('takes over a stale lock atomically: a rival that replaced it first keeps it', () => {
    const lockPath = path.join(dir, 'LOCK');
    fs.writeFileSync(lockPath, lockOf(2 ** 31 - 1)); // no such process
    disk.afterLockRead = () => jest.requireActual<typeof import('node:fs')>('node:fs').writeFileSync(lockPath, liveOwner.lock);
    expect(() => new LogSpool(dir, 1000, 1e6).open()).toThrow(SpoolLockedError);
    expect(fs.readFileSync(lockPath, 'utf8')).toBe(liveOwner.lock);
  });
});
