import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../api/api';
import { logsSearch, logsSettings, logsStats, logsTail } from '../api/functions';
import { LogEntryDto, LogSearchResponseDto, LogsSettingsDto, LogStatsResponseDto } from '../api/models';
import { AuthStore } from '../core/auth/auth.store';
import { RemoteValue } from '../core/http/remote-value';
import { readDetail } from '../core/http/server-event';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'fatal'];

/** Relative time ranges offered by the page (minutes). */
export const TIME_RANGES = [
  { label: 'Last 15 minutes', minutes: 15 },
  { label: 'Last hour', minutes: 60 },
  { label: 'Last 6 hours', minutes: 360 },
  { label: 'Last 24 hours', minutes: 1440 },
  { label: 'Last 7 days', minutes: 10080 },
] as const;

export interface LogFilters {
  minutes: number;
  levels: LogLevel[];
  q: string;
  requestId: string;
  route: string;
}

const PAGE_SIZE = 50;
/** Live-tail lines kept on screen. */
const TAIL_LIMIT = 500;

/** State of the Logs page: filters, search results, stats for the histogram, and the live tail. */
@Injectable()
export class LogsStore {
  private readonly api = inject(Api);
  private readonly auth = inject(AuthStore);

  private readonly filtersState = signal<LogFilters>({ minutes: 60, levels: [], q: '', requestId: '', route: '' });
  private readonly pageState = signal(1);
  private readonly tailEntries = signal<LogEntryDto[]>([]);
  private readonly tailingState = signal(false);
  private readonly tailProblemState = signal<string | null>(null);
  private source: EventSource | null = null;

  readonly filters = this.filtersState.asReadonly();
  readonly page = this.pageState.asReadonly();
  readonly settings = new RemoteValue<LogsSettingsDto>();
  readonly results = new RemoteValue<LogSearchResponseDto>();
  readonly stats = new RemoteValue<LogStatsResponseDto>();
  readonly tailing = this.tailingState.asReadonly();
  readonly tailProblem = this.tailProblemState.asReadonly();
  readonly tail = this.tailEntries.asReadonly();
  readonly pageCount = computed(() => Math.max(1, Math.ceil(Math.min(this.results.value()?.total ?? 0, 10_000) / PAGE_SIZE)));
  readonly kibanaUrl = computed(() => this.results.value()?.kibanaUrl ?? null);

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stopTail());
  }

  async init(): Promise<void> {
    await this.settings.load(() => this.api.invoke(logsSettings));
    if (this.settings.value()?.searchConfigured) await this.refresh();
  }

  /** Applies new filters and reloads from page 1. */
  async apply(filters: LogFilters): Promise<void> {
    this.filtersState.set(filters);
    this.pageState.set(1);
    if (this.tailing()) this.startTail();
    await this.refresh();
  }

  async goToPage(page: number): Promise<void> {
    this.pageState.set(Math.min(Math.max(1, page), this.pageCount()));
    await this.results.load(() => this.api.invoke(logsSearch, { ...this.query(), page: this.page(), size: PAGE_SIZE }));
  }

  async refresh(): Promise<void> {
    const query = this.query();
    await Promise.all([
      this.results.load(() => this.api.invoke(logsSearch, { ...query, page: this.page(), size: PAGE_SIZE })),
      this.stats.load(() => this.api.invoke(logsStats, query)),
    ]);
  }

  setTail(on: boolean): void {
    if (on) this.startTail();
    else this.stopTail();
  }

  /** Follows `GET /api/logs/tail` (SSE; the token travels as ?access_token= since EventSource sends no headers). */
  private startTail(): void {
    this.stopTail();
    const f = this.filtersState();
    const params = new URLSearchParams();
    for (const level of f.levels) params.append('level', level);
    if (f.q) params.set('q', f.q);
    if (f.requestId) params.set('requestId', f.requestId);
    if (f.route) params.set('route', f.route);
    const token = this.auth.accessToken();
    if (token) params.set('access_token', token);
    const source = new EventSource(`${this.api.rootUrl}${logsTail.PATH}?${params.toString()}`);
    this.source = source;
    this.tailingState.set(true);
    this.tailEntries.set([]);
    this.tailProblemState.set(null);
    source.addEventListener('log', (event) => {
      const entry = JSON.parse((event as MessageEvent<string>).data) as LogEntryDto;
      this.tailEntries.update((list) => [entry, ...list].slice(0, TAIL_LIMIT));
      this.tailProblemState.set(null);
    });
    source.addEventListener('unavailable', (event) => {
      this.tailProblemState.set(readDetail((event as MessageEvent<string>).data) ?? 'Elasticsearch is not answering; retrying.');
    });
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) {
        this.tailProblemState.set('The live tail stopped (session expired or server unavailable). Turn it on again to retry.');
        this.tailingState.set(false);
      }
    });
  }

  private stopTail(): void {
    this.source?.close();
    this.source = null;
    this.tailingState.set(false);
  }

  private query() {
    const f = this.filtersState();
    const to = new Date();
    const from = new Date(to.getTime() - f.minutes * 60_000);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      ...(f.levels.length ? { level: f.levels } : {}),
      ...(f.q ? { q: f.q } : {}),
      ...(f.requestId ? { requestId: f.requestId } : {}),
      ...(f.route ? { route: f.route } : {}),
    };
  }
}
