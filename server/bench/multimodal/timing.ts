/** Timing and memory helpers shared by the multimodal bench sections. */
import { cpus, loadavg } from 'node:os';

export interface Timing {
  p50: number;
  p99: number;
  max: number;
  /** Mean CPU time per call (ms), user + system. */
  cpu: number;
  calls: number;
}

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Times `calls` calls of `run(i)` after `warmUp` untimed ones (wall per call, CPU over all). */
export function time(run: (i: number) => unknown, calls: number, warmUp = 3): Timing {
  for (let i = 0; i < warmUp; i++) run(i);
  const walls: number[] = [];
  const cpuStart = process.cpuUsage();
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    run(i);
    walls.push(performance.now() - started);
  }
  const cpu = process.cpuUsage(cpuStart);
  walls.sort((a, b) => a - b);
  return { p50: quantile(walls, 0.5), p99: quantile(walls, 0.99), max: walls[walls.length - 1], cpu: (cpu.user + cpu.system) / 1000 / calls, calls };
}

export const ms = (x: number): string => (x < 10 ? x.toFixed(2) : x.toFixed(0));
export const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** The process's heap in use (after a collection when run with --expose-gc) and resident set, in bytes. */
export function memoryNow(): { heap: number; rss: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { heap: m.heapUsed, rss: m.rss };
}

export function machineNote(): string {
  return `Machine: ${cpus().length} cores, load average ${loadavg()[0].toFixed(1)} at the end (shared with other work: wall times include waits for a core; CPU per call does not).`;
}
