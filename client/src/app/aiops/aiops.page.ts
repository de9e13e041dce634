import { ChangeDetectionStrategy, Component, DestroyRef, ElementRef, ErrorHandler, Injector, afterNextRender, computed, inject } from '@angular/core';
import { DatePipe } from '@angular/common';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { FixDto, ForecastDto, IncidentSummaryDto } from '../api/models';
import { EmptyState } from '../shared/page-state/empty-state';
import { ErrorState } from '../shared/page-state/error-state';
import { LoadingState } from '../shared/page-state/loading-state';
import { AiopsStore } from './aiops.store';
import { DependencyGraph } from './dependency-graph';
import { formatDuration, formatValue } from './format';
import { TimeSeriesChart } from './time-series-chart';

/** Seconds between automatic refreshes while the page is open. */
const AUTO_REFRESH_SECONDS = 15;

const SEVERITY_ICONS: Record<string, string> = { critical: 'error', warning: 'warning', info: 'info' };

/**
 * AIOps for admins: the incident timeline with severity; an incident's diagnosis, ranked causes on the dependency
 * graph, metric charts with anomaly scores, changed log patterns, fixes with Dry run / Apply and their audit;
 * capacity forecasts with time to exhaustion; log patterns with new and bursting ones highlighted.
 */
@Component({
  selector: 'xy-aiops-page',
  imports: [
    DatePipe,
    MatButtonModule,
    MatCardModule,
    MatIconModule,
    MatProgressBarModule,
    MatTooltipModule,
    EmptyState,
    ErrorState,
    LoadingState,
    DependencyGraph,
    TimeSeriesChart,
  ],
  providers: [AiopsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './aiops.page.html',
  styleUrl: './aiops.page.scss',
})
export class AiopsPage {
  protected readonly store = inject(AiopsStore);
  private readonly errorHandler = inject(ErrorHandler);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef).nativeElement;
  private readonly injector = inject(Injector);
  protected readonly detail = this.store.incident.value;
  protected readonly timeline = computed(() => this.store.incidents.value() ?? []);
  protected readonly sortedForecasts = computed(() =>
    [...(this.store.forecasts.value() ?? [])].sort((a, b) => (a.timeToExhaustionMs ?? Infinity) - (b.timeToExhaustionMs ?? Infinity)),
  );

  constructor() {
    this.report(this.store.init());
    const timer = setInterval(() => this.report(this.store.refresh()), AUTO_REFRESH_SECONDS * 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected severityIcon(severity: string): string {
    return SEVERITY_ICONS[severity] ?? 'info';
  }

  protected open(incident: IncidentSummaryDto): void {
    this.report(this.store.select(incident.id));
  }

  protected refresh(): void {
    this.report(Promise.all([this.store.refresh(), this.store.loadForecasts(), this.store.loadPatterns()]));
  }

  /** Acknowledge goes once the incident is acknowledged: the keyboard focus moves on to Resolve. */
  protected acknowledge(id: string): void {
    this.report(this.store.acknowledge(id).then(() => this.focusIfLost('resolve')));
  }

  /** Resolve goes once the incident is resolved: the keyboard focus moves on to Close. */
  protected resolve(id: string): void {
    this.report(this.store.resolve(id).then(() => this.focusIfLost('close-incident')));
  }

  /** The buttons stay focusable while disabled (disabledInteractive): a press then does nothing. */
  protected dryRun(id: string, fix: FixDto): void {
    if (fix.available) this.report(this.store.dryRun(id, fix.id));
  }

  protected canApply(fix: FixDto): boolean {
    return !this.store.busyFix() && fix.available && this.store.dryRunDone().has(fix.id);
  }

  protected apply(id: string, fix: FixDto): void {
    if (this.canApply(fix)) this.report(this.store.apply(id, fix.id));
  }

  /** When the focused button went with the change it made, the focus goes to `testId`'s button (once the page shows it). */
  private focusIfLost(testId: string): void {
    afterNextRender(
      () => {
        const focused = document.activeElement;
        if (focused && focused !== document.body && this.host.contains(focused)) return;
        this.host.querySelector<HTMLElement>(`[data-testid="${testId}"]`)?.focus();
      },
      { injector: this.injector },
    );
  }

  protected revert(auditId: string): void {
    this.report(this.store.revert(auditId));
  }

  protected exhaustion(forecast: ForecastDto): string {
    const ms = forecast.timeToExhaustionMs;
    if (forecast.limit === null || forecast.limit === undefined) return 'no limit';
    if (ms === null || ms === undefined) return 'not within the forecast';
    if (ms <= 0) return 'limit reached';
    return `in ${formatDuration(ms)}`;
  }

  protected value(forecast: ForecastDto, value: number | null | undefined): string {
    return formatValue(value, forecast.unit);
  }

  protected percent(share: number): string {
    return `${Math.round(share * 100)}%`;
  }

  private report(work: Promise<unknown>): void {
    work.catch((error: unknown) => this.errorHandler.handleError(error));
  }
}
