import { ChangeDetectionStrategy, Component, ErrorHandler, OnInit, computed, inject, signal } from '@angular/core';
import { DatePipe, DecimalPipe, JsonPipe } from '@angular/common';
import { FormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatChipsModule } from '@angular/material/chips';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatIconModule } from '@angular/material/icon';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import { LogEntryDto } from '../api/models';
import { EmptyState } from '../shared/page-state/empty-state';
import { ErrorState } from '../shared/page-state/error-state';
import { LoadingState } from '../shared/page-state/loading-state';
import { LogHistogram } from './log-histogram';
import { LOG_LEVELS, LogLevel, LogsStore, TIME_RANGES } from './logs.store';

/** Search every replica's logs: filters, a histogram by level, results with the full ECS document, live tail, Kibana link. */
@Component({
  selector: 'xy-logs-page',
  imports: [
    FormsModule,
    DatePipe,
    DecimalPipe,
    JsonPipe,
    MatButtonModule,
    MatCardModule,
    MatChipsModule,
    MatFormFieldModule,
    MatIconModule,
    MatInputModule,
    MatProgressBarModule,
    MatSelectModule,
    MatSlideToggleModule,
    EmptyState,
    ErrorState,
    LoadingState,
    LogHistogram,
  ],
  providers: [LogsStore],
  templateUrl: './logs.page.html',
  styleUrl: './logs.page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class LogsPage implements OnInit {
  protected readonly store = inject(LogsStore);
  private readonly errorHandler = inject(ErrorHandler);
  protected readonly levels = LOG_LEVELS;
  protected readonly ranges = TIME_RANGES;

  protected readonly minutes = signal(60);
  protected readonly selectedLevels = signal<LogLevel[]>([]);
  protected readonly text = signal('');
  protected readonly requestId = signal('');
  protected readonly route = signal('');
  private readonly expanded = signal<ReadonlySet<string>>(new Set());

  protected readonly rows = computed<LogEntryDto[]>(() => (this.store.tailing() ? this.store.tail() : (this.store.results.value()?.hits ?? [])));

  ngOnInit(): void {
    this.store.init().catch((error: unknown) => this.errorHandler.handleError(error));
  }

  protected search(): void {
    this.store
      .apply({
        minutes: this.minutes(),
        levels: this.selectedLevels(),
        q: this.text().trim(),
        requestId: this.requestId().trim(),
        route: this.route().trim(),
      })
      .catch((error: unknown) => this.errorHandler.handleError(error));
  }

  protected goToPage(page: number): void {
    if (page < 1 || page > this.store.pageCount()) return;
    this.store.goToPage(page).catch((error: unknown) => this.errorHandler.handleError(error));
  }

  /** The request id's button narrows the search to that request. */
  protected followRequest(id: string): void {
    this.requestId.set(id);
    this.search();
  }

  protected toggle(entry: LogEntryDto): void {
    this.expanded.update((set) => {
      const next = new Set(set);
      if (next.has(entry.id)) next.delete(entry.id);
      else next.add(entry.id);
      return next;
    });
  }

  protected isExpanded(entry: LogEntryDto): boolean {
    return this.expanded().has(entry.id);
  }

  protected detailId(entry: LogEntryDto): string {
    return `log-detail-${entry.id}`;
  }
}
