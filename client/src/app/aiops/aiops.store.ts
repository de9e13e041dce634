import { Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../api/api';
import {
  aiopsAcknowledge,
  aiopsDryRun,
  aiopsExecute,
  aiopsForecasts,
  aiopsIncident,
  aiopsIncidents,
  aiopsLogPatterns,
  aiopsResolve,
  aiopsRevert,
  aiopsSeriesQuery,
  aiopsStatus,
} from '../api/functions';
import { AiopsStatusDto, FixAuditDto, ForecastDto, IncidentDetailDto, IncidentSummaryDto, LogPatternDto, SeriesDataDto } from '../api/models';
import { Problem, toProblem } from '../core/errors/problem';
import { silentErrors } from '../core/http/request-context';
import { RemoteValue } from '../core/http/remote-value';

/** A series key as the server writes it: `metric{name="value",...}`. */
export function parseSeriesKey(key: string): { metric: string; labels: string | undefined } {
  const brace = key.indexOf('{');
  if (brace < 0) return { metric: key, labels: undefined };
  const pairs = [...key.slice(brace + 1, -1).matchAll(/(\w+)="([^"]*)"/g)].map((m) => `${m[1]}=${m[2]}`);
  return { metric: key.slice(0, brace), labels: pairs.length ? pairs.join(',') : undefined };
}

/** Chart window around an incident: 15 minutes before its start to its end (or now). */
const BEFORE_MS = 15 * 60_000;

/**
 * State of the AIOps page: collection status, the incident timeline, the selected incident (diagnosis, causes,
 * metric series with anomaly scores, changed log patterns, fixes and their audit), forecasts and log patterns.
 * Intent methods return at once; failures land in signals.
 */
@Injectable()
export class AiopsStore {
  private readonly api = inject(Api);

  readonly status = new RemoteValue<AiopsStatusDto>();
  readonly incidents = new RemoteValue<IncidentSummaryDto[]>();
  readonly incident = new RemoteValue<IncidentDetailDto>();
  readonly series = new RemoteValue<SeriesDataDto[]>();
  readonly incidentPatterns = new RemoteValue<LogPatternDto[]>();
  readonly forecasts = new RemoteValue<ForecastDto[]>();
  readonly patterns = new RemoteValue<LogPatternDto[]>();

  private readonly selectedState = signal<string | null>(null);
  readonly selectedId = this.selectedState.asReadonly();
  /** A fix action running (its id), and the last action's problem. */
  readonly busyFix = signal<string | null>(null);
  readonly actionProblem = signal<Problem | null>(null);
  readonly lastResult = signal<FixAuditDto | null>(null);

  /** The incident `select` is loading the detail of (a refresh meanwhile leaves that load alone). */
  private opening: string | null = null;

  readonly openCount = computed(() => (this.incidents.value() ?? []).filter((i) => i.state !== 'resolved').length);
  /** Fixes whose last dry run (within the audit shown) planned a change: Apply is offered for them. */
  readonly dryRunDone = computed(() => {
    const audit = this.incident.value()?.audit ?? [];
    return new Set(audit.filter((a) => a.mode === 'dry-run' && a.outcome === 'planned').map((a) => a.fixId));
  });
  readonly changedPatterns = computed(() => (this.incidentPatterns.value() ?? []).filter((p) => p.status !== 'steady'));

  async init(): Promise<void> {
    await Promise.all([this.refresh(), this.loadForecasts(), this.loadPatterns()]);
  }

  async refresh(): Promise<void> {
    await Promise.all([
      this.status.load(() => this.api.invoke(aiopsStatus, {}, silentErrors())),
      this.incidents.load(() => this.api.invoke(aiopsIncidents, { limit: 100 }, silentErrors())),
    ]);
    const selected = this.selectedId();
    // An incident being opened is loading already: a second load would drop the first's answer, which `select` waits on.
    if (selected && this.opening !== selected) await this.incident.load(() => this.api.invoke(aiopsIncident, { id: selected }, silentErrors()));
  }

  loadForecasts(): Promise<void> {
    return this.forecasts.load(() => this.api.invoke(aiopsForecasts, { horizonHours: 24 }, silentErrors()));
  }

  loadPatterns(): Promise<void> {
    return this.patterns.load(() => this.api.invoke(aiopsLogPatterns, {}, silentErrors()));
  }

  /** Opens an incident: its detail, then the charts of its series and the log patterns of its window. */
  async select(id: string): Promise<void> {
    if (this.selectedState() !== id) {
      // Another incident: its predecessor's detail, charts and buttons (which act on its id) must not show meanwhile.
      this.incident.clear();
      this.series.clear();
      this.incidentPatterns.clear();
    }
    this.selectedState.set(id);
    this.actionProblem.set(null);
    this.lastResult.set(null);
    this.opening = id;
    try {
      await this.incident.load(() => this.api.invoke(aiopsIncident, { id }, silentErrors()));
    } finally {
      if (this.opening === id) this.opening = null;
    }
    const detail = this.incident.value();
    if (!detail || detail.id !== id) return;
    const from = new Date(Date.parse(detail.startedAt) - BEFORE_MS).toISOString();
    const to = detail.resolvedAt ?? new Date().toISOString();
    await Promise.all([
      this.series.load(async () => {
        const parts = await Promise.all(
          detail.series.slice(0, 6).map((key) => this.api.invoke(aiopsSeriesQuery, { ...parseSeriesKey(key), from, to }, silentErrors())),
        );
        return parts.flat();
      }),
      this.incidentPatterns.load(() => this.api.invoke(aiopsLogPatterns, { from, to }, silentErrors())),
    ]);
  }

  close(): void {
    this.selectedState.set(null);
  }

  acknowledge(id: string): Promise<void> {
    return this.act(`ack:${id}`, () => this.api.invoke(aiopsAcknowledge, { id }, silentErrors()));
  }

  resolve(id: string): Promise<void> {
    return this.act(`resolve:${id}`, () => this.api.invoke(aiopsResolve, { id }, silentErrors()));
  }

  dryRun(id: string, fixId: string): Promise<void> {
    return this.act(fixId, () => this.api.invoke(aiopsDryRun, { id, fixId }, silentErrors()), true);
  }

  apply(id: string, fixId: string): Promise<void> {
    return this.act(fixId, () => this.api.invoke(aiopsExecute, { id, fixId }, silentErrors()), true);
  }

  revert(auditId: string): Promise<void> {
    return this.act(`revert:${auditId}`, () => this.api.invoke(aiopsRevert, { auditId }, silentErrors()), true);
  }

  private async act(key: string, call: () => Promise<unknown>, keepsResult = false): Promise<void> {
    if (this.busyFix()) return;
    this.busyFix.set(key);
    this.actionProblem.set(null);
    const selected = this.selectedState();
    try {
      const result = await call();
      // Shown with the incident it was done on, not under one opened meanwhile.
      if (keepsResult && this.selectedState() === selected) this.lastResult.set(result as FixAuditDto);
    } catch (error) {
      if (this.selectedState() === selected) this.actionProblem.set(toProblem(error));
    } finally {
      this.busyFix.set(null);
    }
    await this.refresh();
  }
}
