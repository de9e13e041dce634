import { Injectable } from '@nestjs/common';

export type LogLineListener = (line: string) => void;

/**
 * The in-process log stream: every JSON log line the process writes, handed to whoever listens (the AIOps log
 * follower). With no listener a write costs one check, so API replicas that do not follow their logs pay nothing.
 * Not fed while logs are pretty-printed (pino-pretty runs as a transport and cannot share its stream).
 */
@Injectable()
export class LogTap {
  private readonly listeners = new Set<LogLineListener>();

  /** The pino destination entry point; synchronous, never throws. */
  write(chunk: string): boolean {
    if (this.listeners.size === 0) return true;
    for (const listener of this.listeners) {
      try {
        listener(chunk);
      } catch {
        // a listener's failure must never reach the logger
      }
    }
    return true;
  }

  /** Calls `listener` with every line from now on; returns the unsubscribe function. */
  subscribe(listener: LogLineListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** One pino destination writing to several (the log shipper and the tap). */
export function fanOut(destinations: { write(line: string): unknown }[]): { write(line: string): boolean } {
  return {
    write(line: string): boolean {
      for (const destination of destinations) destination.write(line);
      return true;
    },
  };
}
