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
