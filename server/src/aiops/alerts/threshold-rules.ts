import type { AiopsSeverity } from '../../core/db/schema';
import type { Reading } from '../collection/readings';

/** A plain threshold on one series: fires after `for` consecutive breaching samples, resolves on the first that is not. */
export interface ThresholdRule {
  name: string;
  metric: string;
  /** Only series whose labels include these. */
  labels?: Record<string, string>;
  op: '>' | '<';
  value: number;
  /** Consecutive breaching samples before it fires. */
  for: number;
  severity: AiopsSeverity;
  /** Shown on the alert; `{value}` and each `{label}` are filled in. */
  summary: string;
}

/**
 * Built-in rules for the platform's own signals (AIOPS_RULES can replace any by name or add more). Latency
 * thresholds sit well above what the platform shows when healthy on a loaded 2-core machine.
 */
export const DEFAULT_RULES: ThresholdRule[] = [
  { name: 'redis-down', metric: 'health_up', labels: { check: 'redis' }, op: '<', value: 1, for: 1, severity: 'critical', summary: 'Redis does not answer' },
  { name: 'redis-slow', metric: 'redis_latency_seconds', op: '>', value: 0.1, for: 2, severity: 'warning', summary: 'Redis answers PING in {value} s' },
  {
    name: 'database-down',
    metric: 'health_up',
    labels: { check: 'database' },
    op: '<',
    value: 1,
    for: 1,
    severity: 'critical',
    summary: 'The database does not answer',
  },
  { name: 'database-slow', metric: 'postgres_latency_seconds', op: '>', value: 0.25, for: 2, severity: 'warning', summary: 'A trivial query takes {value} s' },
  // a saturated pool: queries queue for a connection (long-running statements, a leak, too small a pool)
  {
    name: 'database-pool-exhausted',
    metric: 'db_pool_waiting',
    op: '>',
    value: 0,
    for: 2,
    severity: 'critical',
    summary: '{value} queries wait for a database connection',
  },
  {
    name: 'log-shipping-down',
    metric: 'health_up',
    labels: { check: 'log-shipping' },
    op: '<',
    value: 1,
    for: 2,
    severity: 'warning',
    summary: 'Logs are not reaching Elasticsearch',
  },
  {
    name: 'elasticsearch-unreachable',
    metric: 'elasticsearch_up',
    op: '<',
    value: 1,
    for: 2,
    severity: 'warning',
    summary: 'The log shipper cannot reach Elasticsearch',
  },
  // twice: on a quiet instance one stray 5xx among a handful of requests is already over 5 %
  { name: 'http-errors', metric: 'http_error_ratio', op: '>', value: 0.05, for: 2, severity: 'critical', summary: '{value} of requests fail with 5xx' },
  { name: 'http-slow', metric: 'http_latency_p95_seconds', op: '>', value: 2, for: 2, severity: 'warning', summary: 'p95 request latency is {value} s' },
  {
    name: 'event-loop-blocked',
    metric: 'eventloop_lag_p99_seconds',
    op: '>',
    value: 0.5,
    for: 2,
    severity: 'warning',
    summary: 'Event-loop lag p99 is {value} s',
  },
  {
    name: 'memory-growing',
    metric: 'rss_growth_bytes_per_second',
    op: '>',
    value: 4 * 1024 * 1024,
    for: 3,
    severity: 'warning',
    summary: 'Resident memory grows by {value} bytes/s',
  },
  { name: 'heap-high', metric: 'heap_used_ratio', op: '>', value: 0.85, for: 2, severity: 'warning', summary: 'The heap is {value} full' },
  { name: 'queue-backlog', metric: 'queue_waiting', op: '>', value: 50, for: 2, severity: 'warning', summary: '{value} jobs wait in {queue}' },
  // twice: one failed job in a 15 s interval is 0.067/s, and a single job may fail on its own input; a burst (4 or more
  // in a 15 s interval) fires at once
  { name: 'queue-failures', metric: 'queue_failed_rate', op: '>', value: 0.05, for: 2, severity: 'warning', summary: 'Jobs of {queue} fail at {value}/s' },
  {
    name: 'queue-failure-burst',
    metric: 'queue_failed_rate',
    op: '>',
    value: 0.25,
    for: 1,
    severity: 'warning',
    summary: 'Jobs of {queue} fail at {value}/s',
  },
  {
    name: 'log-spool-growing',
    metric: 'log_spool_bytes',
    op: '>',
    value: 64 * 1024 * 1024,
    for: 2,
    severity: 'warning',
    summary: 'The log spool holds {value} bytes',
  },
];

const SEVERITIES = ['critical', 'warning', 'info'];

/** The built-in rules with AIOPS_RULES applied; throws naming the bad rule. */
export function loadRules(json: string | undefined): ThresholdRule[] {
  if (!json) return DEFAULT_RULES;
  const parsed: unknown = JSON.parse(json);
  if (!Array.isArray(parsed)) throw new Error('AIOPS_RULES must be a JSON array of rules');
  const rules = new Map(DEFAULT_RULES.map((r) => [r.name, r]));
  parsed.forEach((raw: Partial<ThresholdRule>, i) => {
    const where = `AIOPS_RULES[${i}]`;
    if (typeof raw?.name !== 'string' || !raw.name) throw new Error(`${where}.name must be a string`);
    if (typeof raw.metric !== 'string' || !raw.metric) throw new Error(`${where}.metric must be a string`);
    if (raw.op !== '>' && raw.op !== '<') throw new Error(`${where}.op must be ">" or "<"`);
    if (typeof raw.value !== 'number' || !Number.isFinite(raw.value)) throw new Error(`${where}.value must be a number`);
    if (raw.severity !== undefined && !SEVERITIES.includes(raw.severity)) throw new Error(`${where}.severity must be critical, warning or info`);
    rules.set(raw.name, {
      name: raw.name,
      metric: raw.metric,
      labels: raw.labels,
      op: raw.op,
      value: raw.value,
      for: Math.max(1, Math.floor(raw.for ?? 1)),
      severity: raw.severity ?? 'warning',
      summary: raw.summary ?? `${raw.metric} ${raw.op} ${raw.value} (now {value})`,
    });
  });
  return [...rules.values()];
}

export interface RuleBreach {
  rule: ThresholdRule;
  reading: Reading;
  /** How far past the threshold, 0..1 (0.5 at the threshold's own value plus 50%). */
  strength: number;
  summary: string;
}

function matches(rule: ThresholdRule, reading: Reading): boolean {
  if (rule.metric !== reading.metric) return false;
  return Object.entries(rule.labels ?? {}).every(([k, v]) => reading.labels[k] === v);
}

function format(value: number): string {
  if (Math.abs(value) >= 100) return String(Math.round(value));
  return String(Math.round(value * 1000) / 1000);
}

/**
 * Counts consecutive breaches per rule and series; `evaluate` returns the rules firing after this collection. The
 * counts live in this process, so an alert already firing (`alreadyFiring`, read from the database: opened before a restart
 * or by another replica's collection) stays firing on any breach: the count only gates opening one.
 */
export class RuleEvaluator {
  private readonly streaks = new Map<string, number>();

  constructor(readonly rules: ThresholdRule[]) {}

  evaluate(
    readings: Reading[],
    keyOf: (reading: Reading) => string,
    alreadyFiring: (rule: ThresholdRule, reading: Reading) => boolean = () => false,
  ): RuleBreach[] {
    const firing: RuleBreach[] = [];
    const seen = new Set<string>();
    for (const rule of this.rules) {
      for (const reading of readings) {
        if (!matches(rule, reading)) continue;
        const streakKey = `${rule.name}|${keyOf(reading)}`;
        seen.add(streakKey);
        const breached = !reading.warmingUp && (rule.op === '>' ? reading.value > rule.value : reading.value < rule.value);
        const streak = breached ? (this.streaks.get(streakKey) ?? 0) + 1 : 0;
        this.streaks.set(streakKey, streak);
        if (streak < rule.for && !(breached && alreadyFiring(rule, reading))) continue;
        const excess =
          rule.op === '>'
            ? (reading.value - rule.value) / Math.max(Math.abs(rule.value), 1e-9)
            : (rule.value - reading.value) / Math.max(Math.abs(rule.value), 1e-9);
        const strength = Math.min(1, 0.6 + 0.4 * Math.min(1, excess));
        const summary = rule.summary.replace(/\{(\w+)\}/g, (_, name: string) => (name === 'value' ? format(reading.value) : (reading.labels[name] ?? name)));
        firing.push({ rule, reading, strength, summary });
      }
    }
    // a series that disappeared (queue gone, source down) ends its streak
    for (const key of this.streaks.keys()) if (!seen.has(key)) this.streaks.delete(key);
    return firing;
  }
}
