import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';

/** "Nothing here yet": an icon, a title, a line of explanation and optional projected actions. */
@Component({
  selector: 'xy-empty-state',
  imports: [MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="empty">
      <mat-icon class="empty-icon" aria-hidden="true">{{ icon() }}</mat-icon>
      <p class="empty-title">{{ title() }}</p>
      @if (message()) {
        <p class="empty-message">{{ message() }}</p>
      }
      <ng-content />
    </div>
  `,
  styles: `
    .empty {
      display: flex;
      flex-direction: column;
      align-items: center;
      text-align: center;
      padding: 24px 16px;
      color: var(--mat-sys-on-surface-variant);
    }
    .empty-icon {
      width: 40px;
      height: 40px;
      font-size: 40px;
      opacity: 0.7;
    }
    .empty-title {
      font: var(--mat-sys-title-small);
      color: var(--mat-sys-on-surface);
      margin: 8px 0 4px;
    }
    .empty-message {
      margin: 0;
      max-width: 48ch;
    }
  `,
})
export class EmptyState {
  readonly icon = input('inbox');
  readonly title = input.required<string>();
  readonly message = input('');
}
