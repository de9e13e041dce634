import { AiopsSignal, analyseIncidents, DependencyEdge } from './root-cause';

const T0 = Date.UTC(2024, 0, 1, 12);
const s = (id: string, component: string, startSec: number, strength: number, kind: AiopsSignal['kind'] = 'metric', endSec?: number): AiopsSignal => ({
  id,
  kind,
  component,
  start: T0 + startSec * 1000,
  end: endSec === undefined ? undefined : T0 + endSec * 1000,
  strength,
});

const top = (signals: AiopsSignal[], edges?: DependencyEdge[]) => {
  const incidents = analyseIncidents(signals, edges);
  expect(incidents).toHaveLength(1);
  return incidents[0].causes.map((c) => c.component);
};

describe('analyseIncidents', () => {
  it('ranks Redis first when Redis is down and the API and workers fail after it', () => {
    const causes = top([
      s('health:redis', 'redis', 0, 1, 'health'),
      s('log:redis-timeout-burst', 'api', 4, 0.9, 'log'),
      s('metric:http_5xx_rate', 'api', 10, 0.95),
      s('metric:queue_backlog', 'queue', 30, 0.7),
    ]);
    expect(causes[0]).toBe('redis');
  });

  it('ranks PostgreSQL first for slow queries that make the API slow', () => {
    const causes = top([s('metric:http_p95', 'api', 20, 0.9), s('metric:pg_query_p95', 'postgres', 0, 0.8), s('metric:pg_pool_waiting', 'postgres', 5, 0.7)]);
    expect(causes[0]).toBe('postgres');
  });

  it('ranks a blocked event loop first, not the API whose latency it causes', () => {
    const causes = top([s('metric:http_p95', 'api', 1, 1), s('metric:eventloop_lag_p99', 'event-loop', 0, 0.9)]);
    expect(causes).toEqual(['event-loop', 'api']);
  });

  it('follows a memory leak through garbage-collection pauses to the API', () => {
    const causes = top([s('metric:heap_used', 'memory', 0, 0.8), s('metric:eventloop_lag_p99', 'event-loop', 90, 0.7), s('metric:http_p95', 'api', 95, 0.8)]);
    expect(causes[0]).toBe('memory');
  });

  it('uses the dependency graph, not the order of the signals alone', () => {
    // The API latency starts a little earlier than the PostgreSQL alarm, but the API depends on PostgreSQL.
    const signals = [s('metric:http_p95', 'api', 0, 0.7), s('metric:pg_query_p95', 'postgres', 10, 1)];
    expect(top(signals)[0]).toBe('postgres');
    // Were PostgreSQL the one depending on the API, the API would be the cause.
    expect(top(signals, [{ from: 'postgres', to: 'api' }])[0]).toBe('api');
    // With no edge at all they are unrelated problems: two incidents.
    expect(analyseIncidents(signals, [])).toHaveLength(2);
  });

  it('uses temporal precedence between two anomalous dependencies', () => {
    // The one that went wrong 50 s earlier ranks first even when the later one is a little stronger.
    const first = top([s('metric:http_p95', 'api', 60, 0.9), s('metric:pg_query_p95', 'postgres', 0, 0.8), s('metric:redis_latency', 'redis', 50, 0.85)]);
    expect(first.slice(0, 2)).toEqual(['postgres', 'redis']);
    const second = top([s('metric:http_p95', 'api', 60, 0.9), s('metric:pg_query_p95', 'postgres', 50, 0.85), s('metric:redis_latency', 'redis', 0, 0.8)]);
    expect(second.slice(0, 2)).toEqual(['redis', 'postgres']);
  });

  it('gives each cause its evidence, lead time and what it explains', () => {
    const [incident] = analyseIncidents([s('health:elasticsearch', 'elasticsearch', 0, 1, 'health'), s('metric:log_spool_bytes', 'log-spool', 30, 0.8)]);
    const cause = incident.causes[0];
    expect(cause.component).toBe('elasticsearch');
    expect(cause.evidence).toEqual([{ signalId: 'health:elasticsearch', kind: 'health', start: T0, strength: 1, leadMs: 30_000, description: undefined }]);
    expect(cause.explains).toEqual(['log-spool']);
    expect(cause.why).toContain('30 s before');
    expect(incident.causes.reduce((sum, c) => sum + c.score, 0)).toBeCloseTo(1, 10);
  });

  it('splits signals far apart in time, or on unrelated components, into separate incidents', () => {
    const incidents = analyseIncidents([
      s('metric:pg_query_p95', 'postgres', 0, 0.8, 'metric', 60),
      s('metric:http_p95', 'api', 10, 0.8, 'metric', 70),
      s('metric:redis_latency', 'redis', 3600, 0.9, 'metric', 3700),
      s('metric:ups_temperature', 'datacenter', 20, 0.9, 'metric', 80),
    ]);
    expect(incidents.map((i) => i.components)).toEqual([['api', 'postgres'], ['datacenter'], ['redis']]);
    expect(incidents[0].end).toBe(T0 + 70_000);
    expect(incidents[2].id).toBe(`inc-${T0 + 3_600_000}-redis`);
  });

  it('keeps an ongoing signal open to later related ones', () => {
    const incidents = analyseIncidents([s('health:redis', 'redis', 0, 1, 'health'), s('metric:queue_backlog', 'queue', 1800, 0.8)]);
    expect(incidents).toHaveLength(1);
    expect(incidents[0].end).toBeNull();
  });

  it('rejects bad signals naming the field', () => {
    expect(() => analyseIncidents([s('x', '', 0, 1)])).toThrow('signals[0].component');
    expect(() => analyseIncidents([s('x', 'api', 0, 1.5)])).toThrow('signals[0].strength');
    expect(() => analyseIncidents([s('x', 'api', 10, 1, 'metric', 5)])).toThrow('signals[0].end');
  });
});
