import { Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Client } from '@elastic/elasticsearch';
import { statfs } from 'node:fs/promises';
import { AppConfig } from '../../core/config/app-config';
import { HealthRegistry } from '../../core/health/health.registry';
import { withTimeout } from '../../core/jobs/redis-availability.service';
import { LogTap } from '../../core/logging/log-tap';
import { MetricsService } from '../../core/metrics/metrics.service';
import { AiopsRepository, NewAlert, SeriesRow } from '../aiops.repository';
import { AlertingService, ReconcileOutcome } from '../alerts/alerting.service';
import { loadRules, RuleEvaluator, type ThresholdRule } from '../alerts/threshold-rules';
import { AnomalyDetector, type AnomalyDetectorState } from '../engine';
import { FixesService } from '../fixes/fixes.service';
import { ForecastsService, MIN_ALERT_HISTORY_MS } from '../forecasts.service';
import { ElasticsearchLogSource } from './elasticsearch-log-source';
import { LogFollower } from './log-follower';
import { PrometheusSource } from './prometheus-source';
import { componentOfCheck, MetricSource, Reading, seriesKey } from './readings';
import { RegistrySource } from './registry-source';
import { StoredPatternIds } from './stored-pattern-ids';

/** What one collection did (kept for GET /api/aiops/status). */
export interface CollectionReport {
  at: string;
  durationMs: number;
  source: string;
  readings: number;
  logLines: number;
  alerts: number;
  incidentsOpened: number;
  incidentsResolved: number;
  automaticFixes: number;
  errors: string[];
}

/** Series where a fall is the harmful direction; for every other series it is a rise (latency, lag, errors, memory, backlog). */
const LOWER_IS_WORSE = new Set(['disk_free_bytes', 'http_request_rate', 'queue_completed_rate', 'elasticsearch_up', 'health_up']);

/** Anomaly alerts need this many consecutive samples at or above the detector's threshold. */
const ANOMALY_STREAK = 2;
/** Forecast alerts are recomputed every this many collections. */
const FORECAST_EVERY = 20;
/** Retention runs every this many collections. */
const COMPACT_EVERY = 240;
const PROBE_TIMEOUT_MS = 3000;

/**
 * One collection: metrics (own registry or Prometheus), dependency probes (health checks with latency), disk and
 * database size, the log stream into the template miner; then samples and detector scores to PostgreSQL, threshold,
 * anomaly, log and forecast alerts, incidents, and the automatic fixes the policy allows.
 */
@Injectable()
export class AiopsCollector implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('AiopsCollector');
  private readonly source: MetricSource;
  private readonly registrySource: RegistrySource;
  private readonly rules: RuleEvaluator;
  private readonly detectors = new Map<number, { detector: AnomalyDetector; lastAt: number }>();
  private readonly anomalyStreaks = new Map<number, number>();
  readonly follower = new LogFollower();
  /** The stored id of each of the miner's templates (its own numbers restart with the process). */
  private readonly patternIds = new StoredPatternIds((template, component, level) => this.repo.logPatternIdOf(template, component, level));
  private esLogs?: ElasticsearchLogSource;
  private unsubscribe?: () => void;
  private forecastAlerts: NewAlert[] = [];
  private collections = 0;
  private running?: Promise<CollectionReport>;
  last?: CollectionReport;

  constructor(
    private readonly config: AppConfig,
    metrics: MetricsService,
    private readonly health: HealthRegistry,
    private readonly repo: AiopsRepository,
    private readonly alerting: AlertingService,
    private readonly fixes: FixesService,
    private readonly forecastsService: ForecastsService,
    private readonly tap: LogTap,
  ) {
    this.registrySource = new RegistrySource(metrics.registry);
    this.source = config.PROMETHEUS_URL ? new PrometheusSource(config.PROMETHEUS_URL) : this.registrySource;
    this.rules = new RuleEvaluator(loadRules(config.AIOPS_RULES));
  }

  /** Follows the log stream in the process that collects: Elasticsearch (every replica's logs) for a separate worker, the in-process stream otherwise. */
  onModuleInit(): void {
    if (!this.config.AIOPS_COLLECT || !this.config.runsWorkers) return;
    if (this.config.ELASTICSEARCH_URL && this.config.ROLE === 'worker') {
      const auth = this.config.ELASTICSEARCH_USERNAME
        ? { username: this.config.ELASTICSEARCH_USERNAME, password: this.config.ELASTICSEARCH_PASSWORD ?? '' }
        : undefined;
      this.esLogs = new ElasticsearchLogSource(
        new Client({ node: this.config.ELASTICSEARCH_URL, auth, requestTimeout: 5000 }),
        `${this.config.LOG_INDEX_PREFIX}-*`,
      );
    } else {
      this.unsubscribe = this.tap.subscribe((line) => this.follower.push(line));
    }
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }

  /** Runs one collection; concurrent calls share the one in progress. */
  collect(now = Date.now()): Promise<CollectionReport> {
    this.running ??= this.collectOnce(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async collectOnce(now: number): Promise<CollectionReport> {
    const started = performance.now();
    const errors: string[] = [];
    const at = new Date(now);
    this.collections++;

    let readings: Reading[] = [];
    try {
      readings = await this.source.read(now);
    } catch (error) {
      errors.push(`${this.source.name}: ${(error as Error).message}`);
      // without Prometheus the process's own registry still tells something
      if (this.source !== this.registrySource) readings = await this.registrySource.read(now).catch(() => []);
    }
    readings.push(...(await this.probe(errors)));

    // Breach counts are this process's own: what already fires stays firing while it breaches (after a restart too).
    const firing = new Set((await this.repo.firingAlerts().catch(() => [])).map((alert) => alert.fingerprint));
    const scored = await this.score(readings, at, errors, firing);
    const candidates: NewAlert[] = [];
    const ruleFingerprint = (rule: ThresholdRule, reading: Reading) => `threshold:${rule.name}:${seriesKey(reading.metric, reading.labels)}`;
    const breaches = this.rules.evaluate(
      readings,
      (r) => seriesKey(r.metric, r.labels),
      (rule, reading) => firing.has(ruleFingerprint(rule, reading)),
    );
    for (const breach of breaches) {
      candidates.push({
        fingerprint: ruleFingerprint(breach.rule, breach.reading),
        source: breach.reading.metric === 'health_up' ? 'health' : 'threshold',
        name: breach.rule.name,
        component: breach.reading.component,
        severity: breach.rule.severity,
        summary: breach.summary,
        labels: breach.reading.labels,
        value: breach.reading.value,
        strength: breach.strength,
      });
    }
    candidates.push(...scored);

    const logLines = await this.followLogs(now, candidates, errors);
    if (this.collections % FORECAST_EVERY === 1) this.forecastAlerts = await this.forecastCandidates(at, errors);
    candidates.push(...this.forecastAlerts);

    let outcome: ReconcileOutcome = { opened: [], updated: [], resolved: [], firing: 0 };
    let automaticFixes = 0;
    try {
      outcome = await this.alerting.reconcile(candidates, at);
      for (const incident of [...outcome.opened, ...outcome.updated]) automaticFixes += (await this.fixes.applyAutomatic(incident)).length;
    } catch (error) {
      errors.push(`alerts: ${(error as Error).message}`);
    }
    if (this.collections % COMPACT_EVERY === 0) await this.compact(now, errors);

    const report: CollectionReport = {
      at: at.toISOString(),
      durationMs: Math.round(performance.now() - started),
      source: this.source.name,
      readings: readings.length,
      logLines,
      alerts: outcome.firing,
      incidentsOpened: outcome.opened.length,
      incidentsResolved: outcome.resolved.length,
      automaticFixes,
      errors,
    };
    if (errors.length) this.logger.warn({ errors }, `Collection had ${errors.length} problem(s): ${errors[0]}`);
    this.last = report;
    return report;
  }

  /** Health checks (up, latency), disk and database size. */
  private async probe(errors: string[]): Promise<Reading[]> {
    const readings: Reading[] = [];
    await Promise.all(
      this.health.entries().map(async ([name, check]) => {
        const component = componentOfCheck(name);
        const started = performance.now();
        let up = 0;
        let latencyMs: number | undefined;
        try {
          const result = await withTimeout(check(), PROBE_TIMEOUT_MS, `${name} check timed out`);
          up = result.up ? 1 : 0;
          latencyMs = typeof result.details?.latencyMs === 'number' ? result.details.latencyMs : performance.now() - started;
        } catch {
          latencyMs = performance.now() - started;
        }
        readings.push({ metric: 'health_up', labels: { check: name }, value: up, component });
        if (up && (component === 'redis' || component === 'postgres'))
          readings.push({ metric: `${component}_latency_seconds`, labels: {}, value: latencyMs / 1000, component });
      }),
    );
    try {
      const disk = await statfs(this.config.dataDir);
      readings.push({ metric: 'disk_free_bytes', labels: {}, value: disk.bavail * disk.bsize, component: 'disk' });
    } catch (error) {
      errors.push(`disk: ${(error as Error).message}`);
    }
    if (this.collections % FORECAST_EVERY === 1) {
      const size = await this.repo.databaseSizeBytes().catch(() => undefined);
      if (size !== undefined) readings.push({ metric: 'db_size_bytes', labels: {}, value: size, component: 'postgres' });
    }
    return readings;
  }

  /** Scores each reading with its series' detector (state kept in PostgreSQL), stores the samples, returns anomaly alerts. */
  private async score(readings: Reading[], at: Date, errors: string[], firing: ReadonlySet<string>): Promise<NewAlert[]> {
    const alerts: NewAlert[] = [];
    try {
      const keys = readings.map((r) => seriesKey(r.metric, r.labels));
      const rows = await this.repo.seriesByKeys([...new Set(keys)]);
      const samples: Parameters<AiopsRepository['writeSamples']>[0] = [];
      for (let i = 0; i < readings.length; i++) {
        const reading = readings[i];
        const series: SeriesRow = rows.get(keys[i]) ?? (await this.repo.createSeries(keys[i], reading.metric, reading.labels, reading.component));
        rows.set(keys[i], series);
        const detector = this.detectorFor(series);
        if (at.getTime() <= detector.lastAt) continue;
        const { score, expected } = detector.detector.update(at.getTime(), reading.value);
        // a recovery (latency falling back, memory freed) is a change too, but not one to alert on
        const harmful = !reading.warmingUp && (LOWER_IS_WORSE.has(reading.metric) ? reading.value < expected : reading.value > expected);
        detector.lastAt = at.getTime();
        samples.push({ series, ts: at, value: reading.value, score, detector: detector.detector.toState() });
        const streak = score >= detector.detector.threshold && harmful ? (this.anomalyStreaks.get(series.id) ?? 0) + 1 : 0;
        this.anomalyStreaks.set(series.id, streak);
        // health_up is a 0/1 signal with its own rule; its anomaly would only repeat it
        const fingerprint = `anomaly:${series.key}`;
        if ((streak >= ANOMALY_STREAK || (streak > 0 && firing.has(fingerprint))) && reading.metric !== 'health_up') {
          alerts.push({
            fingerprint,
            source: 'anomaly',
            name: `anomaly:${reading.metric}`,
            component: reading.component,
            severity: 'info',
            summary: `${series.key} is unusual (score ${score.toFixed(2)})`,
            labels: reading.labels,
            value: reading.value,
            strength: score,
          });
        }
      }
      await this.repo.writeSamples(samples);
    } catch (error) {
      errors.push(`samples: ${(error as Error).message}`);
    }
    return alerts;
  }

  private detectorFor(series: SeriesRow): { detector: AnomalyDetector; lastAt: number } {
    const cached = this.detectors.get(series.id);
    const stored = series.last_at?.getTime() ?? 0;
    // another worker may have collected since: continue from the stored state then
    if (cached && cached.lastAt >= stored) return cached;
    const detector = series.detector ? AnomalyDetector.fromState(series.detector as AnomalyDetectorState) : new AnomalyDetector();
    const fresh = { detector, lastAt: stored };
    this.detectors.set(series.id, fresh);
    return fresh;
  }

  /** Feeds the log stream into the miner, stores per-template counts and turns bursts of warnings/errors into alerts. */
  private async followLogs(now: number, candidates: NewAlert[], errors: string[]): Promise<number> {
    try {
      if (this.esLogs) for (const line of await this.esLogs.read()) this.follower.pushLine(line);
    } catch (error) {
      errors.push(`log stream: ${(error as Error).message}`);
    }
    const drained = this.follower.drain(now);
    let { counts, events } = drained;
    try {
      const stored = (local: string, template: string, component: string, level: string) => this.patternIds.of(local, template, component, level);
      counts = await Promise.all(counts.map(async (c) => ({ ...c, id: await stored(c.id, c.template, c.component, c.level) })));
      events = await Promise.all(events.map(async (e) => ({ ...e, templateId: await stored(e.templateId, e.template, e.component, e.level) })));
      await this.repo.upsertLogPatterns(
        counts.map((c) => ({ ...c, firstSeen: new Date(c.firstSeen), lastSeen: new Date(c.lastSeen), bucket: new Date(c.bucket) })),
      );
      for (const event of events) await this.repo.markLogEvent(event.templateId, event.kind, new Date(event.at));
    } catch (error) {
      errors.push(`log patterns: ${(error as Error).message}`);
      events = [];
    }
    for (const event of events) {
      const serious = event.level === 'error' || event.level === 'fatal' || event.level === 'warn';
      if (!serious || event.kind === 'silent') continue;
      candidates.push({
        fingerprint: `log:${event.kind}:${event.templateId}`,
        // a new error template corroborates other signals but does not open an incident alone (anomaly-like)
        source: event.kind === 'burst' ? 'log' : 'anomaly',
        name: `log-${event.kind}`,
        component: event.component,
        severity: event.kind === 'burst' && event.level !== 'warn' ? 'warning' : 'info',
        summary: `${event.kind === 'burst' ? `${event.count} × in a minute (usually ${event.expected.toFixed(1)})` : 'new'}: ${event.template}`,
        labels: { template: event.templateId },
        value: event.count,
        strength: Math.min(1, Math.max(0.5, -Math.log10(Math.max(event.pValue, 1e-12)) / 10)),
      });
    }
    return counts.reduce((n, c) => n + c.count, 0);
  }

  private async forecastCandidates(at: Date, errors: string[]): Promise<NewAlert[]> {
    try {
      const forecasts = await this.forecastsService.forecasts(at);
      return forecasts
        .filter((f) => f.result.exhaustion?.alert && f.historyMs >= MIN_ALERT_HISTORY_MS)
        .map((f) => ({
          fingerprint: `forecast:${f.series.key}`,
          source: 'forecast' as const,
          name: `exhaustion:${f.series.metric}`,
          component: f.series.component,
          severity: 'warning' as const,
          summary: `${f.series.key} may reach ${Math.round(f.limit ?? 0)} ${f.spec.unit} ${
            f.result.exhaustion?.earliest ? `as early as ${new Date(f.result.exhaustion.earliest).toISOString()}` : 'soon'
          }`,
          labels: f.series.labels,
          value: f.series.last_value,
          strength: 0.6,
        }));
    } catch (error) {
      errors.push(`forecasts: ${(error as Error).message}`);
      return this.forecastAlerts;
    }
  }

  private async compact(now: number, errors: string[]): Promise<void> {
    try {
      await this.repo.compact(new Date(now - this.config.AIOPS_RAW_RETENTION_HOURS * 3_600_000), new Date(now - this.config.AIOPS_RETENTION_DAYS * 86_400_000));
    } catch (error) {
      errors.push(`retention: ${(error as Error).message}`);
    }
  }
}
