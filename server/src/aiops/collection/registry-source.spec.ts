import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Reading } from './readings';
import { histogramQuantile, RegistrySource } from './registry-source';

describe('RegistrySource', () => {
  it('turns counters into rates over the interval, computes the error ratio and p95 from bucket deltas', async () => {
    const registry = new Registry();
    const http = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'h',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.1, 1, 10],
      registers: [registry],
    });
    const lag = new Gauge({ name: 'nodejs_eventloop_lag_p99_seconds', help: 'h', registers: [registry] });
    const queue = new Gauge({ name: 'queue_jobs', help: 'h', labelNames: ['queue', 'state'], registers: [registry] });
    const cpu = new Counter({ name: 'process_cpu_seconds_total', help: 'h', registers: [registry] });
    const heap = new Gauge({ name: 'nodejs_heap_size_used_bytes', help: 'h', registers: [registry] });
    heap.set(100 * 1024 * 1024);
    lag.set(0.02);
    queue.set({ queue: 'music-generation', state: 'waiting' }, 3);
    queue.set({ queue: 'music-generation', state: 'failed' }, 10);
    queue.set({ queue: 'aiops-notify', state: 'waiting' }, 99);
    http.observe({ method: 'GET', route: '/api/x', status: '200' }, 0.05);
    const source = new RegistrySource(registry, 1024 * 1024 * 1024);

    const first = await source.read(0);
    expect(first.map((r) => r.metric).sort()).toEqual(['eventloop_lag_p99_seconds', 'heap_used_bytes', 'heap_used_ratio', 'queue_waiting']);
    expect(first.find((r) => r.metric === 'heap_used_ratio')?.value).toBeCloseTo(100 / 1024);
    expect(first.find((r) => r.metric === 'queue_waiting')).toMatchObject({ labels: { queue: 'music-generation' }, value: 3, component: 'queue' });

    for (let i = 0; i < 18; i++) http.observe({ method: 'GET', route: '/api/x', status: '200' }, 0.05);
    http.observe({ method: 'GET', route: '/api/x', status: '500' }, 5);
    http.observe({ method: 'GET', route: '/api/x', status: '500' }, 5);
    for (let i = 0; i < 50; i++) http.observe({ method: 'GET', route: '/api/aiops/incidents', status: '500' }, 5); // its own routes do not count
    queue.set({ queue: 'music-generation', state: 'failed' }, 30);
    cpu.inc(0.5);
    const second = await source.read(10_000);
    const value = (metric: string) => second.find((r) => r.metric === metric)?.value;
    expect(value('http_request_rate')).toBeCloseTo(2, 5);
    expect(value('http_error_ratio')).toBeCloseTo(0.1, 5);
    expect(value('http_latency_p95_seconds')).toBeGreaterThan(1);
    expect(value('queue_failed_rate')).toBeCloseTo(2, 5);
    expect(value('cpu_seconds_rate')).toBeCloseTo(0.05, 5);
    expect(second.every((r) => r.labels.queue !== 'aiops-notify')).toBe(true);
  });

  it('marks the startup-sensitive series while the process is warming up, and only those', async () => {
    const registry = new Registry();
    new Gauge({ name: 'nodejs_eventloop_lag_p99_seconds', help: 'h', registers: [registry] }).set(0.8);
    new Gauge({ name: 'process_resident_memory_bytes', help: 'h', registers: [registry] }).set(100e6);
    new Gauge({ name: 'nodejs_heap_size_used_bytes', help: 'h', registers: [registry] }).set(50e6);
    let uptime = 30;
    const source = new RegistrySource(registry, 1e9, () => uptime);
    const flagged = (readings: Reading[]) =>
      readings
        .filter((r) => r.warmingUp)
        .map((r) => r.metric)
        .sort();
    await source.read(0);
    expect(flagged(await source.read(10_000))).toEqual(['cpu_seconds_rate', 'eventloop_lag_p99_seconds', 'gc_seconds_rate', 'rss_growth_bytes_per_second']);
    uptime = 119.9;
    expect(flagged(await source.read(20_000))).toEqual(['cpu_seconds_rate', 'eventloop_lag_p99_seconds', 'gc_seconds_rate', 'rss_growth_bytes_per_second']);
    uptime = 120;
    const warm = await source.read(30_000);
    expect(flagged(warm)).toEqual([]);
    expect(warm.map((r) => r.metric)).toEqual(expect.arrayContaining(['eventloop_lag_p99_seconds', 'rss_growth_bytes_per_second', 'heap_used_bytes']));
  });

  it("reads the database pool's waiting queries as a postgres series, and none without a pool", async () => {
    const registry = new Registry();
    expect((await new RegistrySource(registry, 1e9).read(0)).some((r) => r.metric === 'db_pool_waiting')).toBe(false);
    const pool = new Gauge({ name: 'db_pool_connections', help: 'h', labelNames: ['state'], registers: [registry] });
    pool.set({ state: 'in_use' }, 10);
    pool.set({ state: 'idle' }, 0);
    pool.set({ state: 'waiting' }, 4);
    const readings = await new RegistrySource(registry, 1e9).read(0);
    expect(readings.find((r) => r.metric === 'db_pool_waiting')).toEqual({ metric: 'db_pool_waiting', labels: {}, value: 4, component: 'postgres' });
  });

  it('interpolates a quantile within its bucket like Prometheus', () => {
    expect(
      histogramQuantile(0.5, [
        { le: 1, count: 0 },
        { le: 2, count: 10 },
        { le: Infinity, count: 10 },
      ]),
    ).toBeCloseTo(1.5);
    expect(histogramQuantile(0.99, [{ le: Infinity, count: 0 }])).toBeUndefined();
    expect(
      histogramQuantile(0.99, [
        { le: 1, count: 5 },
        { le: Infinity, count: 10 },
      ]),
    ).toBe(1);
  });
});
