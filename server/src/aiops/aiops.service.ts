import { HttpStatus, Injectable, NotFoundException } from '@nestjs/common';
import { AppConfig } from '../core/config/app-config';
import { AuthUser } from '../core/auth/auth.decorators';
import { fieldProblem, ProblemException } from '../core/errors/problem';
import { AiopsRepository, AlertRow, AuditRow, IncidentRow, SeriesRow, SilenceRow } from './aiops.repository';
import { AiopsCollector } from './collection/collector.service';
import { seriesKey } from './collection/readings';
import type {
  AiopsStatusDto,
  AlertDto,
  CreateSilenceDto,
  FixAuditDto,
  FixDto,
  ForecastDto,
  IncidentDetailDto,
  IncidentSummaryDto,
  LogPatternDto,
  RankedCauseDto,
  SeriesDataDto,
  SeriesInfoDto,
  SignalDto,
  SilenceDto,
} from './dto/aiops.dto';
import { ANOMALY_PARAMS, type RankedCause } from './engine';
import { AutoFixAdvisor } from './fixes/auto-fix-advisor';
import { FixActions } from './fixes/fix-actions';
import { FixesService } from './fixes/fixes.service';
import { ForecastsService } from './forecasts.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The AIOps product use cases: incidents, alerts, silences, fixes, forecasts, series and log patterns. */
@Injectable()
export class AiopsService {
  constructor(
    private readonly repo: AiopsRepository,
    private readonly collector: AiopsCollector,
    private readonly advisor: AutoFixAdvisor,
    private readonly actions: FixActions,
    private readonly fixes: FixesService,
    private readonly forecastsService: ForecastsService,
    private readonly config: AppConfig,
  ) {}

  async status(): Promise<AiopsStatusDto> {
    return {
      collecting: this.config.AIOPS_COLLECT && this.config.runsWorkers,
      intervalMs: this.config.AIOPS_COLLECT_INTERVAL_MS,
      source: this.config.PROMETHEUS_URL ? 'prometheus' : 'registry',
      series: (await this.repo.listSeries()).length,
      last: this.collector.last ?? null,
    };
  }

  /** Runs one collection now (admins; also how tests and the benchmark drive it). */
  collectNow() {
    return this.collector.collect();
  }

  async incidents(state: IncidentRow['state'] | undefined, limit = 100): Promise<IncidentSummaryDto[]> {
    return (await this.repo.listIncidents({ state, limit })).map(summary);
  }

  async incident(id: string): Promise<IncidentDetailDto> {
    const incident = await this.find(id);
    const alerts = await this.repo.listAlerts({ incidentId: id, limit: 500 });
    const advice = this.advisor.advise(incident, alerts);
    const fixes: FixDto[] = [];
    for (const fix of advice.fixes) {
      const blocked = fix.action
        ? await this.actions
            .get(fix.action)
            .precondition(fix.target)
            .catch((e: Error) => e.message)
        : 'a runbook for a person';
      fixes.push({ ...fix, available: !blocked, blockedReason: blocked });
    }
    const audit = await this.repo.listAudit({ incidentId: id, limit: 200 });
    const reverted = new Set(audit.filter((a) => a.mode === 'revert' && a.outcome === 'succeeded').map((a) => a.fix_id.slice('revert:'.length)));
    const seriesKeys = [...new Set(alerts.filter((a) => a.source === 'threshold' || a.source === 'anomaly' || a.source === 'forecast').map(alertSeriesKey))];
    return {
      ...summary(incident),
      diagnosis: advice.diagnosis,
      causes: incident.causes as RankedCauseDto[],
      signals: incident.signals as SignalDto[],
      alerts: alerts.map(alertDto),
      fixes,
      audit: audit.map((a) => auditDto(a, reverted)),
      series: seriesKeys,
    };
  }

  async narrative(id: string): Promise<{ narrative: string | null }> {
    const incident = await this.find(id);
    const alerts = await this.repo.listAlerts({ incidentId: id, limit: 500 });
    return { narrative: await this.advisor.narrative(incident, this.advisor.advise(incident, alerts)) };
  }

  async acknowledge(id: string, user: AuthUser): Promise<IncidentSummaryDto> {
    const incident = await this.find(id);
    if (incident.state === 'resolved') throw new ProblemException(HttpStatus.CONFLICT, 'The incident is already resolved.');
    return summary((await this.repo.setIncidentState(id, 'acknowledged', user.id, new Date()))!);
  }

  async resolve(id: string, user: AuthUser): Promise<IncidentSummaryDto> {
    const incident = await this.find(id);
    if (incident.state === 'resolved') return summary(incident);
    return summary((await this.repo.setIncidentState(id, 'resolved', user.id, new Date()))!);
  }

  async dryRun(id: string, fixId: string, user: AuthUser): Promise<FixAuditDto> {
    await this.find(id);
    return auditDto(await this.fixes.dryRun(id, fixId, { id: user.id, name: user.email, automatic: false }));
  }

  async execute(id: string, fixId: string, user: AuthUser): Promise<FixAuditDto> {
    await this.find(id);
    return auditDto(await this.fixes.execute(id, fixId, { id: user.id, name: user.email, automatic: false }));
  }

  async revert(auditId: string, user: AuthUser): Promise<FixAuditDto> {
    if (!UUID.test(auditId)) throw new NotFoundException(`There is no fix audit entry ${auditId}.`);
    return auditDto(await this.fixes.revert(auditId, { id: user.id, name: user.email, automatic: false }));
  }

  async audit(incidentId: string | undefined, limit = 200): Promise<FixAuditDto[]> {
    if (incidentId !== undefined && !UUID.test(incidentId)) return [];
    const rows = await this.fixes.audit({ incidentId, limit });
    const reverted = new Set(rows.filter((a) => a.mode === 'revert' && a.outcome === 'succeeded').map((a) => a.fix_id.slice('revert:'.length)));
    return rows.map((a) => auditDto(a, reverted));
  }

  async alerts(state: 'firing' | 'resolved' | undefined, limit = 200): Promise<AlertDto[]> {
    return (await this.repo.listAlerts({ state, limit })).map(alertDto);
  }

  async silences(all: boolean): Promise<SilenceDto[]> {
    const now = new Date();
    return (await this.repo.listSilences(all, now)).map((s) => silenceDto(s, now));
  }

  async createSilence(body: CreateSilenceDto, user: AuthUser): Promise<SilenceDto> {
    const entries = Object.entries(body.matchers ?? {});
    if (!entries.length) throw fieldProblem('matchers', 'matchers must name at least one field (name, component, severity, source or a label)');
    for (const [key, value] of entries) {
      if (typeof value !== 'string' || !value) throw fieldProblem(`matchers.${key}`, `matchers.${key} must be a non-empty string`);
    }
    const now = new Date();
    const silence = await this.repo.insertSilence({
      matchers: body.matchers,
      comment: body.comment,
      created_by: user.id,
      starts_at: now,
      ends_at: new Date(now.getTime() + body.durationMinutes * 60_000),
    });
    return silenceDto(silence, now);
  }

  async expireSilence(id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.repo.expireSilence(id, new Date()))) throw new NotFoundException(`There is no silence ${id}.`);
  }

  async forecasts(horizonHours = 24): Promise<ForecastDto[]> {
    const forecasts = await this.forecastsService.forecasts(new Date(), horizonHours * 3_600_000);
    return forecasts.map(({ series, spec, limit, result }) => {
      const step = Math.max(1, Math.ceil(result.points.length / 200));
      return {
        key: series.key,
        metric: series.metric,
        component: series.component,
        unit: spec.unit,
        direction: spec.direction,
        limit: limit ?? null,
        lastValue: series.last_value,
        trendPerHour: result.trendPerHour,
        timeToExhaustionMs: result.exhaustion?.timeToExhaustionMs ?? null,
        earliest: result.exhaustion?.earliest ?? null,
        alert: result.exhaustion?.alert ?? false,
        points: result.points.filter((_, i) => i % step === 0).map((p) => ({ t: p.timestamp, mean: p.mean, lower: p.lower, upper: p.upper })),
      };
    });
  }

  async seriesList(): Promise<SeriesInfoDto[]> {
    return (await this.repo.listSeries()).map(seriesInfo);
  }

  async seriesQuery(metric: string, labels: string | undefined, from?: string, to?: string): Promise<SeriesDataDto[]> {
    const { start, end } = range(from, to);
    const wanted = Object.fromEntries((labels ? labels.split(',') : []).map((pair) => pair.split('=') as [string, string]));
    const series = (await this.repo.listSeries(metric)).filter((s) => Object.entries(wanted).every(([k, v]) => s.labels[k] === v));
    const out: SeriesDataDto[] = [];
    for (const s of series) {
      const points = await this.repo.samples(s.id, start, end);
      out.push({ ...seriesInfo(s), threshold: ANOMALY_PARAMS.threshold, points: points.map((p) => ({ t: p.ts.getTime(), value: p.value, score: p.score })) });
    }
    return out;
  }

  async logPatterns(from?: string, to?: string): Promise<LogPatternDto[]> {
    const { start, end } = range(from, to);
    return (await this.repo.logPatterns(start, end)).map(({ pattern, counts }) => {
      const p = pattern as {
        id: string;
        template: string;
        component: string;
        level: string;
        total: string;
        first_seen: Date;
        last_seen: Date;
        last_event: string | null;
        last_event_at: Date | null;
      };
      const recentEvent = p.last_event && p.last_event_at && p.last_event_at >= start ? p.last_event : null;
      const status = p.first_seen >= start ? 'new' : recentEvent === 'burst' ? 'bursting' : recentEvent === 'silent' ? 'silent' : 'steady';
      return {
        id: p.id,
        template: p.template,
        component: p.component,
        level: p.level,
        total: Number(p.total),
        firstSeen: p.first_seen.toISOString(),
        lastSeen: p.last_seen.toISOString(),
        status,
        counts: counts.map((c) => ({ bucket: c.bucket.toISOString(), count: c.count })),
      };
    });
  }

  private async find(id: string): Promise<IncidentRow> {
    const incident = UUID.test(id) ? await this.repo.incident(id) : undefined;
    if (!incident) throw new NotFoundException(`There is no incident ${id}.`);
    return incident;
  }
}

function range(from?: string, to?: string): { start: Date; end: Date } {
  const end = to ? new Date(to) : new Date();
  const start = from ? new Date(from) : new Date(end.getTime() - 3_600_000);
  return { start, end };
}

function alertSeriesKey(alert: AlertRow): string {
  const metric =
    alert.name.startsWith('anomaly:') || alert.name.startsWith('exhaustion:')
      ? alert.name.split(':')[1]
      : (alert.fingerprint.split(':')[2] ?? '').split('{')[0];
  return seriesKey(metric, alert.labels);
}

function summary(incident: IncidentRow): IncidentSummaryDto {
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    state: incident.state,
    components: incident.components,
    topCause: (incident.causes as RankedCause[])[0]?.component ?? null,
    startedAt: incident.started_at.toISOString(),
    updatedAt: incident.updated_at.toISOString(),
    acknowledgedAt: iso(incident.acknowledged_at),
    acknowledgedBy: incident.acknowledged_by,
    resolvedAt: iso(incident.resolved_at),
    resolvedBy: incident.resolved_by,
  };
}

function alertDto(a: AlertRow): AlertDto {
  return {
    id: a.id,
    source: a.source,
    name: a.name,
    component: a.component,
    severity: a.severity,
    state: a.state,
    summary: a.summary,
    labels: a.labels,
    value: a.value,
    strength: a.strength,
    silencedBy: a.silenced_by,
    incidentId: a.incident_id,
    startsAt: a.starts_at.toISOString(),
    lastSeenAt: a.last_seen_at.toISOString(),
    endsAt: iso(a.ends_at),
  };
}

function auditDto(a: AuditRow, reverted: Set<string> = new Set()): FixAuditDto {
  return {
    id: a.id,
    incidentId: a.incident_id,
    fixId: a.fix_id,
    mode: a.mode,
    actor: a.actor,
    actorName: a.actor_name,
    automatic: a.automatic,
    outcome: a.outcome,
    detail: a.detail,
    changes: a.changes as FixAuditDto['changes'],
    revertible: a.mode === 'execute' && a.outcome === 'succeeded' && !!a.undo && !reverted.has(a.id),
    createdAt: a.created_at.toISOString(),
  };
}

function silenceDto(s: SilenceRow, now: Date): SilenceDto {
  return {
    id: s.id,
    matchers: s.matchers,
    comment: s.comment,
    createdBy: s.created_by,
    startsAt: s.starts_at.toISOString(),
    endsAt: s.ends_at.toISOString(),
    active: s.starts_at <= now && s.ends_at > now,
  };
}

function seriesInfo(s: SeriesRow): SeriesInfoDto {
  return {
    id: s.id,
    key: s.key,
    metric: s.metric,
    labels: s.labels,
    component: s.component,
    lastValue: s.last_value,
    lastScore: s.last_score,
    lastAt: iso(s.last_at),
  };
}
