import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { Problem } from '../../core/errors/problem';

/** A failed load shown in place: the problem's title and detail, and a retry button. */
@Component({
  selector: 'xy-error-state',
  imports: [MatButtonModule, MatIconModule],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="error" role="alert">
      <mat-icon aria-hidden="true">error_outline</mat-icon>
      <div class="error-body">
        <p class="error-title">{{ problem().title }}</p>
        @if (problem().detail) {
          <p class="error-detail">{{ problem().detail }}</p>
        }
      </div>
      <button mat-button type="button" (click)="retry.emit()">Retry</button>
    </div>
  `,
  styles: `
    .error {
      display: flex;
      align-items: center;
      gap: 12px;
      padding: 12px 16px;
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .error-body {
      flex: 1;
      min-width: 0;
    }
    .error-title {
      font: var(--mat-sys-title-small);
      margin: 0;
    }
    .error-detail {
      margin: 2px 0 0;
    }
  `,
})
export class ErrorState {
  readonly problem = input.required<Problem>();
  readonly retry = output<void>();
}
