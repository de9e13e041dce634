import { ChangeDetectionStrategy, Component, DestroyRef, ErrorHandler, computed, effect, inject, untracked } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTooltipModule } from '@angular/material/tooltip';
import { EmptyState } from '../shared/page-state/empty-state';
import { ErrorState } from '../shared/page-state/error-state';
import { LoadingState } from '../shared/page-state/loading-state';
import { SystemStore } from './system.store';
import { formatUptime } from './uptime';

/** Seconds between automatic health refreshes while the page is open. */
const AUTO_REFRESH_SECONDS = 30;

/** Health of every dependency, version/runtime info and (for admins) job queue counts. */
@Component({
  selector: 'xy-system-page',
  imports: [MatCardModule, MatButtonModule, MatIconModule, MatProgressBarModule, MatTooltipModule, LoadingState, EmptyState, ErrorState],
  providers: [SystemStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './system.page.html',
  styleUrl: './system.page.scss',
})
export class SystemPage {
  protected readonly store = inject(SystemStore);
  private readonly errorHandler = inject(ErrorHandler);
  protected readonly health = this.store.health;
  protected readonly info = this.store.info;
  protected readonly queues = this.store.queues;
  protected readonly checks = this.store.checks;
  protected readonly downCount = this.store.downCount;
  protected readonly healthy = this.store.healthy;
  protected readonly canSeeQueues = this.store.canSeeQueues;
  protected readonly refreshing = computed(() => this.health.loading() || this.info.loading() || this.queues.loading());
  protected readonly uptime = computed(() => {
    const value = this.info.value();
    return value ? formatUptime(value.uptimeSec) : '';
  });
  protected readonly queueColumns = ['waiting', 'active', 'completed', 'failed', 'delayed'] as const;

  constructor() {
    this.refresh();
    // The role can turn admin after the first load (the shell re-reads the user; another tab signs in as admin):
    // the queue card then loads instead of showing its loading state for good.
    effect(() => {
      if (this.canSeeQueues() && untracked(() => this.queues.pending() && !this.queues.loading())) this.report(this.store.reloadQueues());
    });
    const timer = setInterval(() => this.report(this.store.reloadHealth()), AUTO_REFRESH_SECONDS * 1000);
    inject(DestroyRef).onDestroy(() => clearInterval(timer));
  }

  protected refresh(): void {
    if (this.refreshing()) return;
    this.report(this.store.reload());
  }

  /** Failed loads are shown on the page by the store; anything else that goes wrong is reported, not dropped. */
  private report(load: Promise<void>): void {
    load.catch((error: unknown) => this.errorHandler.handleError(error));
  }
}
