import * as fs from 'node:fs';
import * as path from 'node:path';
import { acquireSpoolLock, SpoolLockedError } from './spool-lock';

export { SpoolLockedError } from './spool-lock';

/** A place in the spool: byte offset inside a numbered segment file. */
export interface SpoolPosition {
  segment: number;
  offset: number;
}

export interface SpoolRead {
  /** How many whole bulk records (two NDJSON lines each) were read. */
  count: number;
  /** Their bytes, ready to send as one bulk body. */
  body: Buffer;
  /** The records one by one, in write order (decoded on demand: only partial retries need them). */
  records: () => string[];
  /** Position right after the last returned record (where the next read starts). */
  next: SpoolPosition;
  /** Bytes of a torn record skipped at the end of a sealed segment (a write interrupted by kill -9). */
  skippedBytes: number;
}

const SEGMENT_RE = /^seg-(\d{12})\.ndjson$/;
const NEWLINE = 0x0a;
/** Spool directories opened by this process (a second shipper on the same directory would interleave writes). */
const openedInThisProcess = new Set<string>();

/**
 * The write-ahead spool: append-only segment files holding every bulk record handed to the shipper,
 * plus a checkpoint of the acknowledged position. Records are appended with a synchronous write(2)
 * before `append` returns, so they survive `kill -9` (they sit in the OS page cache; no fsync, so a
 * power loss can still lose the last seconds). Segments wholly before the checkpoint are deleted.
 */
export class LogSpool {
  private fd = -1;
  private active = 0;
  private activeBytes = 0;
  /** segment number → bytes on disk */
  private readonly segments = new Map<number, number>();
  private totalBytes = 0;
  private refusal: string | null = null;
  private reader: { segment: number; fd: number } | null = null;
  private readonly lockPath: string;
  private readonly checkpointPath: string;
  readonly deadLetterPath: string;

  constructor(
    readonly dir: string,
    private readonly segmentBytes: number,
    private readonly maxBytes: number,
  ) {
    this.lockPath = path.join(dir, 'LOCK');
    this.checkpointPath = path.join(dir, 'checkpoint.json');
    this.deadLetterPath = path.join(dir, 'dead-letter.ndjson');
  }

  /** Bytes currently on disk in segment files (acknowledged-but-not-yet-deleted included). */
  get bytes(): number {
    return this.totalBytes;
  }

  /** Why the last refused `append` was refused: the cap, or the disk's error (ENOSPC…). */
  get lastRefusal(): string | null {
    return this.refusal;
  }

  /** Opens the spool and returns where unacknowledged records start (records left by a previous process first). */
  open(): SpoolPosition {
    const dir = path.resolve(this.dir);
    fs.mkdirSync(dir, { recursive: true });
    this.acquireLock(dir);
    try {
      return this.openSegments(dir);
    } catch (err) {
      // e.g. a full disk refused the new segment: give the lock back, so a later attempt (or process) can open it
      this.close();
      throw err;
    }
  }

  private openSegments(dir: string): SpoolPosition {
    for (const name of fs.readdirSync(dir)) {
      const m = SEGMENT_RE.exec(name);
      if (!m) continue;
      const size = fs.statSync(path.join(dir, name)).size;
      this.segments.set(Number(m[1]), size);
      this.totalBytes += size;
    }
    const checkpoint = this.readCheckpoint();
    for (const seg of [...this.segments.keys()]) {
      if (checkpoint && seg < checkpoint.segment) this.removeSegment(seg);
    }
    const existing = [...this.segments.keys()].sort((a, b) => a - b);
    this.active = (existing.at(-1) ?? 0) + 1;
    this.fd = fs.openSync(this.segmentPath(this.active), 'a');
    this.segments.set(this.active, 0);
    if (checkpoint && this.segments.has(checkpoint.segment)) return checkpoint;
    return { segment: existing[0] ?? this.active, offset: 0 };
  }

  /** Where the next appended record will start. */
  end(): SpoolPosition {
    return { segment: this.active, offset: this.activeBytes };
  }

  /**
   * Appends one record synchronously. Returns its end position, or null when the spool cap would be
   * exceeded or the disk refuses the write (the caller counts that as dropped).
   */
  append(record: string, len = Buffer.byteLength(record)): SpoolPosition | null {
    if (this.totalBytes + len > this.maxBytes) {
      this.refusal = 'spool cap reached';
      return null;
    }
    try {
      if (this.activeBytes > 0 && this.activeBytes + len > this.segmentBytes) this.rotate();
      let written = fs.writeSync(this.fd, record);
      if (written < len) {
        const buf = Buffer.from(record);
        while (written < len) written += fs.writeSync(this.fd, buf, written, len - written);
      }
    } catch (err) {
      this.refusal = (err as Error).message;
      this.dropPartialWrite();
      return null;
    }
    this.activeBytes += len;
    this.totalBytes += len;
    this.segments.set(this.active, this.activeBytes);
    return { segment: this.active, offset: this.activeBytes };
  }

  /**
   * A write the disk refused halfway (ENOSPC) left part of a record at the segment's end, where the next record
   * would be appended after it and read back as one garbled line: cut the segment back to its last whole record.
   */
  private dropPartialWrite(): void {
    try {
      fs.ftruncateSync(this.fd, this.activeBytes);
    } catch {
      // Shrinking needs no space, but if it fails the next record goes to a new segment: the fragment then lies past
      // this one's recorded size, and after a restart it is a torn record at a sealed segment's end, skipped.
      try {
        this.rotate();
      } catch {
        // still the old segment; the next append tries again
      }
    }
  }

  /** Bytes written after `pos` (not yet acknowledged when `pos` is the checkpoint). */
  bytesAfter(pos: SpoolPosition): number {
    let total = 0;
    for (const [seg, size] of this.segments) {
      if (seg > pos.segment) total += size;
      else if (seg === pos.segment) total += Math.max(0, size - pos.offset);
    }
    return total;
  }

  /** Records everything before `pos` as delivered: deletes finished segments and persists the checkpoint. */
  ack(pos: SpoolPosition): void {
    // Segments first: on a full disk they are the space the checkpoint (and every new line) needs. Without the
    // checkpoint a restart replays from the first segment left, which only earns 409s for what was delivered.
    for (const seg of [...this.segments.keys()]) {
      if (seg < pos.segment && seg !== this.active) this.removeSegment(seg);
    }
    const tmp = `${this.checkpointPath}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(pos));
    fs.renameSync(tmp, this.checkpointPath);
  }

  /** Reads up to `maxRecords` whole records (about `maxBytes`) starting at `pos`. */
  async read(pos: SpoolPosition, maxBytes: number, maxRecords: number): Promise<SpoolRead> {
    let { segment, offset } = pos;
    let skippedBytes = 0;
    for (;;) {
      const size = this.segments.get(segment);
      if (size === undefined || offset >= size) {
        // this segment is finished (or gone): caught up if it is the active one, else go on to the next
        const next = segment < this.active ? this.nextSegmentAfter(segment) : undefined;
        if (next === undefined) return { ...EMPTY, next: { segment, offset }, skippedBytes };
        segment = next;
        offset = 0;
        continue;
      }
      let want = Math.min(maxBytes, size - offset);
      for (;;) {
        const buf = await this.readAt(segment, offset, want);
        const ends = recordEnds(buf, maxRecords);
        if (ends.length > 0) {
          const consumed = ends[ends.length - 1];
          const body = buf.subarray(0, consumed);
          return { count: ends.length, body, records: () => decodeRecords(body, ends), next: { segment, offset: offset + consumed }, skippedBytes };
        }
        if (want < size - offset) {
          want = Math.min(size - offset, want * 2); // one record larger than maxBytes
          continue;
        }
        if (segment === this.active) return { ...EMPTY, next: { segment, offset }, skippedBytes };
        // a torn record at the end of a sealed segment: its write never returned, so nobody was promised it
        skippedBytes += size - offset;
        offset = size;
        break;
      }
    }
  }

  /** Appends a refused document, with the reason, to the dead-letter file. */
  deadLetter(record: string, reason: unknown): void {
    const nl = record.indexOf('\n');
    const entry = `{"@timestamp":"${new Date().toISOString()}","reason":${JSON.stringify(reason ?? null)},"action":${record.slice(0, nl)},"document":${record.slice(nl + 1).trimEnd()}}\n`;
    fs.appendFileSync(this.deadLetterPath, entry);
  }

  close(): void {
    if (this.reader) fs.closeSync(this.reader.fd);
    this.reader = null;
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
    const dir = path.resolve(this.dir);
    if (openedInThisProcess.delete(dir)) fs.rmSync(this.lockPath, { force: true });
  }

  /** Opens the next segment before closing the current one, so a refused open leaves the spool writable. */
  private rotate(): void {
    const next = fs.openSync(this.segmentPath(this.active + 1), 'a');
    fs.closeSync(this.fd);
    this.fd = next;
    this.active += 1;
    this.activeBytes = 0;
    this.segments.set(this.active, 0);
  }

  private nextSegmentAfter(segment: number): number | undefined {
    let best: number | undefined;
    for (const seg of this.segments.keys()) if (seg > segment && (best === undefined || seg < best)) best = seg;
    return best;
  }

  private removeSegment(seg: number): void {
    if (this.reader?.segment === seg) {
      fs.closeSync(this.reader.fd);
      this.reader = null;
    }
    fs.rmSync(this.segmentPath(seg), { force: true });
    this.totalBytes -= this.segments.get(seg) ?? 0;
    this.segments.delete(seg);
  }

  private readAt(segment: number, offset: number, length: number): Promise<Buffer> {
    if (this.reader?.segment !== segment) {
      if (this.reader) fs.closeSync(this.reader.fd);
      this.reader = { segment, fd: fs.openSync(this.segmentPath(segment), 'r') };
    }
    const fd = this.reader.fd;
    const buf = Buffer.allocUnsafe(length);
    return new Promise((resolve, reject) => {
      fs.read(fd, buf, 0, length, offset, (err, n) => (err ? reject(err) : resolve(buf.subarray(0, n))));
    });
  }

  private readCheckpoint(): SpoolPosition | null {
    try {
      const cp = JSON.parse(fs.readFileSync(this.checkpointPath, 'utf8')) as SpoolPosition;
      return Number.isInteger(cp.segment) && Number.isInteger(cp.offset) ? cp : null;
    } catch {
      return null;
    }
  }

  private acquireLock(dir: string): void {
    if (openedInThisProcess.has(dir)) throw new SpoolLockedError(dir, `this process (${process.pid})`);
    acquireSpoolLock(dir, this.lockPath);
    openedInThisProcess.add(dir);
  }

  private segmentPath(seg: number): string {
    return path.join(this.dir, `seg-${String(seg).padStart(12, '0')}.ndjson`);
  }
}

const EMPTY = { count: 0, body: Buffer.alloc(0), records: (): string[] => [] };

/** End offsets of the whole two-line records at the start of `buf` (at most `maxRecords`). */
function recordEnds(buf: Buffer, maxRecords: number): number[] {
  const ends: number[] = [];
  let start = 0;
  while (ends.length < maxRecords) {
    const first = buf.indexOf(NEWLINE, start);
    if (first < 0) break;
    const second = buf.indexOf(NEWLINE, first + 1);
    if (second < 0) break;
    start = second + 1;
    ends.push(start);
  }
  return ends;
}

function decodeRecords(buf: Buffer, ends: number[]): string[] {
  let start = 0;
  return ends.map((end) => {
    const record = buf.toString('utf8', start, end);
    start = end;
    return record;
  });
}
