import pino from 'pino';

interface LineSink {
  write(chunk: string): unknown;
}

/** Destinations with lines waiting, flushed when the process exits (weakly held: a dropped logger's destination goes). */
const waiting = new Set<WeakRef<TurnBatchedDestination>>();
process.on('exit', () => {
  for (const ref of waiting) ref.deref()?.flush();
});

/**
 * The log lines' way to stdout, one write per event-loop turn: the lines logged while the process handles one batch of
 * I/O (under load, the request lines of several requests) go out together in one synchronous write when the turn ends
 * (`setImmediate`), instead of one write system call per line. A line waits at most until the end of the turn in which
 * it was logged, so a quiet process shows every line at once.
 *
 * On exit (a graceful stop, `process.exit`, an uncaught exception) the lines still waiting are written synchronously
 * first; only a process killed outright (SIGKILL, a native crash) can lose the lines of its last turn.
 */
export class TurnBatchedDestination {
  private pending = '';
  private readonly self = new WeakRef(this);
  private readonly flushAtTurnEnd = () => this.flush();

  /** `sink` receives each turn's lines in one synchronous write (default: stdout, as pino writes it, retrying EAGAIN). */
  constructor(private readonly sink: LineSink = pino.destination({ dest: 1, sync: true })) {}

  write(line: string): boolean {
    if (this.pending === '') {
      setImmediate(this.flushAtTurnEnd);
      waiting.add(this.self);
    }
    this.pending += line;
    return true;
  }

  /** Writes the lines waiting now, if any. */
  flush(): void {
    if (this.pending === '') return;
    const chunk = this.pending;
    this.pending = '';
    waiting.delete(this.self);
    this.sink.write(chunk);
  }
}
