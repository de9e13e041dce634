import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';

/**
 * Who holds a spool directory. `start` (the kernel's start time of the process) and `boot` (the kernel's boot id)
 * tell the owner apart from a later process that got the same pid; both are null where there is no /proc.
 */
interface LockOwner {
  pid: number;
  start: string | null;
  boot: string | null;
  host: string | null;
}

export class SpoolLockedError extends Error {
  constructor(dir: string, holder: string) {
    super(`log spool ${dir} is in use by ${holder}`);
  }
}

/** Rounds of "create, else judge and clear the stale lock" before giving up on a lock that keeps changing hands. */
const LOCK_ATTEMPTS = 5;
const HAS_PROC = fs.existsSync('/proc/self/stat');
const BOOT_ID = HAS_PROC ? readOrNull('/proc/sys/kernel/random/boot_id')?.trim() || null : null;

/**
 * Makes this process the owner of `lockPath`. A lock whose owner no longer runs (exited, a zombie, or its pid now
 * belongs to another process) is taken over; a running owner's lock is left alone (SpoolLockedError). Creating the
 * lock and clearing a stale one are both atomic, so of two processes starting at once exactly one gets it.
 */
export function acquireSpoolLock(dir: string, lockPath: string): void {
  const mine = JSON.stringify(thisProcess());
  for (let attempt = 0; attempt < LOCK_ATTEMPTS; attempt++) {
    if (createExclusively(lockPath, mine)) return;
    const seen = readIfExists(lockPath);
    if (seen === null) continue; // released in the meantime
    const owner = parseLockOwner(seen);
    if (owner && owner.pid !== process.pid && isRunning(owner)) throw new SpoolLockedError(dir, `process ${owner.pid} on ${owner.host ?? 'this host'}`);
    removeIfUnchanged(lockPath, seen);
  }
  throw new SpoolLockedError(dir, 'other processes (its lock kept changing hands)');
}

/** The lock's content: JSON, or the bare pid written by earlier versions (nothing to compare it with then). */
function parseLockOwner(text: string): LockOwner | null {
  if (/^\s*\d+\s*$/.test(text)) return { pid: Number(text), start: null, boot: null, host: null };
  try {
    const owner = JSON.parse(text) as Partial<LockOwner>;
    if (!Number.isInteger(owner.pid) || (owner.pid as number) <= 0) return null;
    return { pid: owner.pid as number, start: owner.start ?? null, boot: owner.boot ?? null, host: owner.host ?? null };
  } catch {
    return null; // unreadable: no owner to respect
  }
}

function thisProcess(): LockOwner {
  return { pid: process.pid, start: processStat(process.pid)?.start ?? null, boot: BOOT_ID, host: os.hostname() };
}

/** Whether the process that wrote the lock still runs on this machine. */
function isRunning(owner: LockOwner): boolean {
  // Another boot id: written before a reboot, or by another machine sharing the directory, whose pids mean nothing here.
  if (owner.boot && BOOT_ID && owner.boot !== BOOT_ID) return false;
  if (!HAS_PROC) return answersSignals(owner.pid);
  const stat = processStat(owner.pid);
  // A zombie has exited (it only waits for its parent to collect its status) and writes nothing any more.
  if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
  return owner.start === null || owner.start === stat.start;
}

/** State and start time (clock ticks after boot) of a process, from /proc/<pid>/stat; null if there is none. */
function processStat(pid: number): { state: string; start: string } | null {
  const stat = HAS_PROC ? readOrNull(`/proc/${pid}/stat`) : null;
  if (!stat) return null;
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, the fields after the last ")" do not
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { state: fields[0], start: fields[19] };
}

function answersSignals(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Creates `file` with `content` unless it exists, atomically: nobody ever reads it empty or half-written. */
function createExclusively(file: string, content: string): boolean {
  const tmp = `${file}.${randomUUID()}.tmp`;
  try {
    fs.writeFileSync(tmp, content); // inside the try: a full disk can leave it created but empty
    fs.linkSync(tmp, file);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'ENOSYS') return createWithoutLink(file, content);
    throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/** For file systems without hard links: still exclusive, but readable empty for the instant before the write. */
function createWithoutLink(file: string, content: string): boolean {
  try {
    fs.writeFileSync(file, content, { flag: 'wx' });
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * Clears a stale lock unless a rival replaced it after it was read: the file is moved aside (atomic, only one mover
 * gets it) and put back if it is not the one judged stale.
 */
function removeIfUnchanged(file: string, judged: string): void {
  const aside = `${file}.${randomUUID()}.stale`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  try {
    const moved = readIfExists(aside);
    if (moved !== null && moved !== judged) createExclusively(file, moved);
  } finally {
    fs.rmSync(aside, { force: true });
  }
}

function readIfExists(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** For /proc, where a process may vanish between listing and reading. */
function readOrNull(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return null;
  }
}
