import { LogPatternEvent, LogPatternMonitor, poissonUpperTail } from './log-pattern-monitor';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);

/** Feeds `minutes` of steady traffic: per minute 3 heartbeats and 1 request line; `extra(m)` adds lines in minute m. */
function run(monitor: LogPatternMonitor, minutes: number, extra: (m: number) => string[] = () => [], skipHeartbeat = (_m: number) => false): LogPatternEvent[] {
  const events: LogPatternEvent[] = [];
  for (let m = 0; m < minutes; m++) {
    const t = T0 + m * MIN;
    if (!skipHeartbeat(m)) for (let k = 0; k < 3; k++) monitor.observe(t + k * 1000, `heartbeat ok from worker-${k} in ${10 + k} ms`);
    monitor.observe(t + 5000, `GET /api/items/${m} 200 ${m % 50} ms`);
    for (const [k, line] of extra(m).entries()) monitor.observe(t + 10_000 + k, line);
    events.push(...monitor.advance(t + 59_000));
  }
  events.push(...monitor.advance(T0 + minutes * MIN));
  return events;
}

describe('poissonUpperTail', () => {
  it('matches direct sums', () => {
    expect(poissonUpperTail(0, 3)).toBe(1);
    expect(poissonUpperTail(1, 2)).toBeCloseTo(1 - Math.exp(-2), 12);
    expect(poissonUpperTail(3, 1)).toBeCloseTo(1 - Math.exp(-1) * (1 + 1 + 0.5), 12);
    expect(poissonUpperTail(60, 5)).toBeLessThan(1e-30);
  });
});

describe('LogPatternMonitor', () => {
  it('reports nothing for steady traffic', () => {
    const events = run(new LogPatternMonitor(), 120);
    expect(events).toEqual([]);
  });

  it('reports a template that appears for the first time after warm-up', () => {
    const events = run(new LogPatternMonitor(), 60, (m) => (m === 40 ? ['ERROR database pool exhausted after 30000 ms'] : []));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ kind: 'new', template: 'ERROR database pool exhausted after <*>', at: T0 + 40 * MIN });
  });

  it('reports a burst of a known message', () => {
    const extra = (m: number) =>
      m % 10 === 0 || (m >= 50 && m < 52) ? Array.from({ length: m >= 50 && m < 52 ? 40 : 1 }, (_, k) => `WARN redis timeout after ${k} ms`) : [];
    const events = run(new LogPatternMonitor(), 70, extra);
    const bursts = events.filter((e) => e.kind === 'burst');
    expect(bursts.map((e) => e.at)).toEqual([T0 + 50 * MIN, T0 + 51 * MIN]);
    expect(bursts[0].count).toBe(40);
    expect(bursts[0].pValue).toBeLessThan(1e-4);
  });

  it('reports a message that stops appearing, once', () => {
    const events = run(new LogPatternMonitor(), 90, undefined, (m) => m >= 60);
    const silent = events.filter((e) => e.kind === 'silent');
    expect(silent).toHaveLength(1);
    expect(silent[0].template).toBe('heartbeat ok from <*> in <*>');
    expect(silent[0].at).toBeGreaterThanOrEqual(T0 + 60 * MIN);
    expect(silent[0].at).toBeLessThan(T0 + 66 * MIN);
  });

  it('joins the counts of templates that turn out to be one template with a variable word', () => {
    const monitor = new LogPatternMonitor();
    ['alice', 'bob', 'carol', 'dave', 'erin'].forEach((u, k) => monitor.observe(T0 + k * 1000, `user ${u} logged out`));
    const stats = monitor.stats();
    expect(stats).toHaveLength(1);
    expect(stats[0]).toMatchObject({ template: 'user <*> logged out', total: 5 });
  });

  it('keeps counts per template over time', () => {
    const monitor = new LogPatternMonitor({ historyBuckets: 5 });
    run(monitor, 20);
    const [heartbeat, request] = monitor.stats();
    expect(heartbeat).toMatchObject({ template: 'heartbeat ok from <*> in <*>', total: 60, history: [3, 3, 3, 3, 3] });
    expect(heartbeat.rate).toBeCloseTo(3, 6);
    expect(request.total).toBe(20);
  });
});
