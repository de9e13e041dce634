import { Counter, Gauge, Histogram, Registry } from 'prom-client';
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
    lag.set(0.02);
    queue.set({ queue: 'music-generation', state: 'waiting' }, 3);
    queue.set({ queue: 'music-generation', state: 'failed' }, 10);
    queue.set({ queue: 'aiops-notify', state: 'waiting' }, 99);
    http.observe({ method: 'GET', route: '/api/x', status: '200' }, 0.05);
    const source = new RegistrySource(registry);

    const first = await source.read(0);
    expect(first.map((r) => r.metric).sort()).toEqual(['eventloop_lag_p99_seconds', 'queue_waiting']);
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
