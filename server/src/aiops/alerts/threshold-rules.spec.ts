import type { Reading } from '../collection/readings';
import { DEFAULT_RULES, loadRules, RuleEvaluator } from './threshold-rules';

const reading = (metric: string, value: number, labels: Record<string, string> = {}): Reading => ({ metric, value, labels, component: 'x' });
const key = (r: Reading) => `${r.metric}${JSON.stringify(r.labels)}`;

describe('threshold rules', () => {
  it('fires after `for` consecutive breaches, fills in the summary, and stops on the first good sample', () => {
    const evaluator = new RuleEvaluator(loadRules(undefined));
    expect(evaluator.evaluate([reading('redis_latency_seconds', 0.5)], key)).toEqual([]);
    const [breach] = evaluator.evaluate([reading('redis_latency_seconds', 0.5)], key);
    expect(breach).toMatchObject({ rule: { name: 'redis-slow' }, summary: 'Redis answers PING in 0.5 s' });
    expect(breach.strength).toBeGreaterThan(0.6);
    expect(evaluator.evaluate([reading('redis_latency_seconds', 0.01)], key)).toEqual([]);
    expect(evaluator.evaluate([reading('redis_latency_seconds', 0.5)], key)).toEqual([]);
  });

  it('keeps an alert that already fires (opened before a restart) firing on the first breach, and opens no new one early', () => {
    const fresh = new RuleEvaluator(DEFAULT_RULES);
    const backlog = reading('queue_waiting', 80, { queue: 'music-generation' });
    const firing = (name: string) => (rule: { name: string }) => rule.name === name;
    expect(fresh.evaluate([backlog], key, firing('queue-backlog')).map((b) => b.rule.name)).toEqual(['queue-backlog']);
    expect(new RuleEvaluator(DEFAULT_RULES).evaluate([backlog], key, firing('other'))).toEqual([]);
    expect(fresh.evaluate([{ ...backlog, value: 10 }], key, firing('queue-backlog'))).toEqual([]);
  });

  it('does not fire on the readings of a process still warming up, and restarts the count after it', () => {
    const evaluator = new RuleEvaluator(DEFAULT_RULES);
    const lag = (value: number, warmingUp: boolean): Reading => ({
      ...reading('eventloop_lag_p99_seconds', value),
      ...(warmingUp ? { warmingUp: true as const } : {}),
    });
    expect(evaluator.evaluate([lag(1.5, true)], key)).toEqual([]);
    expect(evaluator.evaluate([lag(1.2, true)], key)).toEqual([]);
    expect(evaluator.evaluate([lag(0.9, false)], key)).toEqual([]);
    expect(evaluator.evaluate([lag(0.9, false)], key).map((b) => b.rule.name)).toEqual(['event-loop-blocked']);
    const memory = new RuleEvaluator(DEFAULT_RULES);
    for (let i = 0; i < 5; i++) expect(memory.evaluate([{ ...reading('rss_growth_bytes_per_second', 20e6), warmingUp: true }], key)).toEqual([]);
  });

  it('one stray 5xx or one failed job does not fire; the same two collections in a row do', () => {
    const evaluator = new RuleEvaluator(DEFAULT_RULES);
    // a quiet instance: 1 of 4 requests failed in one interval, then none
    expect(evaluator.evaluate([reading('http_error_ratio', 0.25)], key)).toEqual([]);
    expect(evaluator.evaluate([reading('http_error_ratio', 0)], key)).toEqual([]);
    expect(evaluator.evaluate([reading('http_error_ratio', 0.25)], key)).toEqual([]);
    expect(evaluator.evaluate([reading('http_error_ratio', 0.2)], key).map((b) => b.rule.name)).toEqual(['http-errors']);
    const jobs = new RuleEvaluator(DEFAULT_RULES);
    const failed = reading('queue_failed_rate', 1 / 15, { queue: 'music-generation' });
    expect(jobs.evaluate([failed], key)).toEqual([]);
    expect(jobs.evaluate([{ ...failed, value: 0 }], key)).toEqual([]);
    expect(jobs.evaluate([failed], key)).toEqual([]);
    expect(jobs.evaluate([failed], key).map((b) => b.summary)).toEqual(['Jobs of music-generation fail at 0.067/s']);
    // many failures at once are a broken consumer: no need to wait
    const burst = new RuleEvaluator(DEFAULT_RULES);
    expect(burst.evaluate([{ ...failed, value: 6 / 15 }], key).map((b) => b.rule.name)).toEqual(['queue-failure-burst']);
  });

  it('calls the database pool exhausted when queries wait for a connection in two collections in a row', () => {
    const evaluator = new RuleEvaluator(DEFAULT_RULES);
    expect(evaluator.evaluate([reading('db_pool_waiting', 3)], key)).toEqual([]);
    expect(evaluator.evaluate([reading('db_pool_waiting', 0)], key)).toEqual([]);
    expect(evaluator.evaluate([reading('db_pool_waiting', 2)], key)).toEqual([]);
    const [breach] = evaluator.evaluate([reading('db_pool_waiting', 5)], key);
    expect(breach).toMatchObject({ rule: { name: 'database-pool-exhausted', severity: 'critical' }, summary: '5 queries wait for a database connection' });
  });

  it('matches labels and the direction of the threshold', () => {
    const evaluator = new RuleEvaluator(DEFAULT_RULES);
    const firing = evaluator.evaluate(
      [reading('health_up', 0, { check: 'redis' }), reading('health_up', 1, { check: 'database' }), reading('health_up', 0, { check: 'other' })],
      key,
    );
    expect(firing.map((b) => b.rule.name)).toEqual(['redis-down']);
    const queue = new RuleEvaluator(DEFAULT_RULES);
    queue.evaluate([reading('queue_waiting', 80, { queue: 'q1' })], key);
    expect(queue.evaluate([reading('queue_waiting', 80, { queue: 'q1' })], key)[0].summary).toBe('80 jobs wait in q1');
  });

  it('lets AIOPS_RULES replace a built-in rule by name and add new ones; bad rules are named', () => {
    const rules = loadRules(
      JSON.stringify([
        { name: 'redis-slow', metric: 'redis_latency_seconds', op: '>', value: 1 },
        { name: 'mine', metric: 'm', op: '<', value: 3, for: 3, severity: 'critical' },
      ]),
    );
    expect(rules.find((r) => r.name === 'redis-slow')).toMatchObject({ value: 1, for: 1, severity: 'warning' });
    expect(rules.find((r) => r.name === 'mine')).toMatchObject({ op: '<', for: 3, severity: 'critical' });
    expect(rules).toHaveLength(DEFAULT_RULES.length + 1);
    expect(() => loadRules('{}')).toThrow('JSON array');
    expect(() => loadRules('[{"name":"a","metric":"m","op":">="}]')).toThrow('AIOPS_RULES[0].op');
    expect(() => loadRules('[{"name":"a","metric":"m","op":">","value":"1"}]')).toThrow('AIOPS_RULES[0].value');
  });
});
