import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { fieldErrorText, Problem, retryHint } from '../../core/errors/problem';

/** A rejected request shown beside its form: the problem's title, detail and each invalid field. */
@Component({
  selector: 'xy-problem-alert',
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { role: 'alert' },
  template: `
    <strong>{{ problem().title }}</strong>
    @if (problem().detail) {
      <span>{{ problem().detail }}</span>
    }
    @for (e of problem().errors ?? []; track $index) {
      <span class="field-error">{{ fieldErrorText(e) }}</span>
    }
    @if (retry()) {
      <span>{{ retry() }}</span>
    }
  `,
  styles: `
    :host {
      display: flex;
      flex-direction: column;
      gap: 4px;
      padding: 12px 16px;
      border-radius: var(--mat-sys-corner-medium);
      background: var(--mat-sys-error-container);
      color: var(--mat-sys-on-error-container);
    }
    .field-error {
      font: var(--mat-sys-body-small);
    }
  `,
})
export class ProblemAlert {
  readonly problem = input.required<Problem>();
  protected readonly retry = computed(() => retryHint(this.problem()));
  protected readonly fieldErrorText = fieldErrorText;
}
