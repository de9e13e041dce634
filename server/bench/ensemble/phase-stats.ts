/**
 * What a server process of bench:ensemble (a platform replica, the bare relay) tells the parent about each phase:
 * event-loop delay, CPU time, garbage-collection pauses (all, and the young generation's scavenges among them), heap
 * in use and TCP socket writes (write and writev calls: a system call each, the largest cost of relaying), since the
 * previous ask. The parent asks with { stats: true }; { exit: true } closes the server and exits
 * cleanly (not by a signal), so that --cpu-prof writes its profile.
 */
import { Socket } from 'node:net';
import { constants, monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

let writes = 0;
// Counted on the prototype: every TCP socket of the process (clients, Redis, PostgreSQL) writes through these two.
const socketPrototype = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
for (const method of ['_write', '_writev'] as const) {
  const original = socketPrototype[method];
  socketPrototype[method] = function (this: Socket, ...args: unknown[]) {
    writes += 1;
    return original.apply(this, args);
  };
}

export function answerPhaseStats(close: () => Promise<unknown>): void {
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const gc = { pauses: 0, totalMs: 0, maxMs: 0, minorMs: 0, minor: 0 };
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gc.pauses += 1;
      gc.totalMs += entry.duration;
      gc.maxMs = Math.max(gc.maxMs, entry.duration);
      if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        gc.minor += 1;
        gc.minorMs += entry.duration;
      }
    }
  }).observe({ entryTypes: ['gc'] });
  let cpu = process.cpuUsage();
  writes = 0;
  process.on('message', (message: { stats?: boolean; exit?: boolean }) => {
    if (message.exit)
      close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    if (!message.stats) return;
    const used = process.cpuUsage(cpu);
    const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
    process.send?.({
      stats: { loopP99Ms: delay.percentile(99) / 1e6, loopMaxMs: delay.max / 1e6, cpuMs: (used.user + used.system) / 1000, writes, gc: { ...gc }, heapMb },
    });
    Object.assign(gc, { pauses: 0, totalMs: 0, maxMs: 0, minorMs: 0, minor: 0 });
    delay.reset();
    cpu = process.cpuUsage();
    writes = 0;
  });
}
