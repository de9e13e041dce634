import { DestroyRef, Injectable, computed, inject, signal } from '@angular/core';
import { Api } from '../api/api';
import { logsSearch, logsSettings, logsStats, logsTail } from '../api/functions';
import { LogEntryDto, LogSearchResponseDto, LogsSettingsDto, LogStatsResponseDto } from '../api/models';
import { EventStream, EventStreams } from '../core/http/event-stream';
import { RemoteValue } from '../core/http/remote-value';
import { silentErrors } from '../core/http/request-context';

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
  private readonly streams = inject(EventStreams);

  private readonly filtersState = signal<LogFilters>({ minutes: 60, levels: [], q: '', requestId: '', route: '' });
  private readonly pageState = signal(1);
  private readonly tailEntries = signal<LogEntryDto[]>([]);
  /** The live tail's stream; it stays after giving up, so its reason stays visible until the tail is toggled. */
  private readonly tailStream = signal<EventStream | null>(null);
  /** The filters and time window of the last search, which its other pages keep. */
  private searched: ReturnType<LogsStore['query']> | null = null;

  readonly filters = this.filtersState.asReadonly();
  readonly page = this.pageState.asReadonly();
  readonly settings = new RemoteValue<LogsSettingsDto>();
  readonly results = new RemoteValue<LogSearchResponseDto>();
  readonly stats = new RemoteValue<LogStatsResponseDto>();
  readonly tailing = computed(() => {
    const stream = this.tailStream();
    return stream !== null && !stream.stopped();
  });
  readonly tailProblem = computed(() => this.tailStream()?.problem() ?? null);
  readonly tail = this.tailEntries.asReadonly();
  readonly pageCount = computed(() => Math.max(1, Math.ceil(Math.min(this.results.value()?.total ?? 0, 10_000) / PAGE_SIZE)));
  /** The last search's Kibana link; none when the last search failed (the value kept is the search before it). */
  readonly kibanaUrl = computed(() => (this.results.problem() ? null : (this.results.value()?.kibanaUrl ?? null)));

  constructor() {
    inject(DestroyRef).onDestroy(() => this.stopTail());
  }

  async init(): Promise<void> {
    await this.settings.load(() => this.api.invoke(logsSettings, {}, silentErrors()));
    if (this.settings.value()?.searchConfigured) await this.refresh();
  }

  /** Applies new filters and reloads from page 1. */
  async apply(filters: LogFilters): Promise<void> {
    this.filtersState.set(filters);
    this.pageState.set(1);
    if (this.tailing()) this.startTail();
    await this.refresh();
  }

  /** Another page of the same search: the time window stays the one page 1 was read in, so no line moves between pages. */
  async goToPage(page: number): Promise<void> {
    this.pageState.set(Math.min(Math.max(1, page), this.pageCount()));
    const query = this.searched ?? this.query();
    await this.results.load(() => this.api.invoke(logsSearch, { ...query, page: this.page(), size: PAGE_SIZE }, silentErrors()));
  }

  /** Searches again from now (the window ends at this moment); the page shows its own error panels, so no toasts. */
  async refresh(): Promise<void> {
    const query = this.query();
    this.searched = query;
    await Promise.all([
      this.results.load(() => this.api.invoke(logsSearch, { ...query, page: this.page(), size: PAGE_SIZE }, silentErrors())),
      this.stats.load(() => this.api.invoke(logsStats, query, silentErrors())),
    ]);
  }

  setTail(on: boolean): void {
    if (on) this.startTail();
    else this.stopTail();
  }

  /** Follows `GET /api/logs/tail`: a `log` event per new line, `unavailable` while Elasticsearch does not answer. */
  private startTail(): void {
    this.stopTail();
    const f = this.filtersState();
    const params = new URLSearchParams();
    for (const level of f.levels) params.append('level', level);
    if (f.q) params.set('q', f.q);
    if (f.requestId) params.set('requestId', f.requestId);
    if (f.route) params.set('route', f.route);
    const query = params.toString();
    this.tailEntries.set([]);
    this.tailStream.set(
      this.streams.open<{ log: LogEntryDto }>(`${this.api.rootUrl}${logsTail.PATH}${query ? `?${query}` : ''}`, {
        on: { log: (entry) => this.tailEntries.update((list) => [entry, ...list].slice(0, TAIL_LIMIT)) },
        messages: { unavailable: 'Elasticsearch is not answering; retrying.', stopped: 'The live tail stopped. Turn it on again to retry.' },
      }),
    );
  }

  private stopTail(): void {
    this.tailStream()?.close();
    this.tailStream.set(null);
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
