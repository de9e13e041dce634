import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatCardModule } from '@angular/material/card';
import { MatIconModule } from '@angular/material/icon';

/**
 * Says plainly that a feature is not built yet. Routes pass `feature`, `summary` and `icon`
 * through route data (bound to these inputs by `withComponentInputBinding()`).
 */
@Component({
  selector: 'xy-coming-soon',
  imports: [MatCardModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="xy-page">
      <h1 class="xy-page-title">{{ feature() }}</h1>
      <p class="xy-page-subtitle">{{ summary() }}</p>
      <mat-card appearance="outlined" class="notice" role="status">
        <mat-icon class="notice-icon" aria-hidden="true">{{ icon() }}</mat-icon>
        <div>
          <h2 class="notice-title">Not built yet</h2>
          <p class="notice-text">{{ feature() }} is planned but not available in this version of Xiaoyu AI. Nothing on this page works yet.</p>
        </div>
      </mat-card>
    </section>
  `,
  styles: `
    .notice {
      display: flex;
      flex-direction: row;
      align-items: flex-start;
      gap: 16px;
      padding: 24px;
      max-width: 640px;
    }
    .notice-icon {
      flex: none;
      width: 40px;
      height: 40px;
      font-size: 40px;
      color: var(--mat-sys-primary);
    }
    .notice-title {
      font: var(--mat-sys-title-medium);
      margin: 0 0 4px;
    }
    .notice-text {
      margin: 0;
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class ComingSoon {
  readonly feature = input('This feature');
  readonly summary = input('');
  readonly icon = input('construction');
}
