import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { DecimalPipe, PercentPipe } from '@angular/common';

/** One modality's reading: its label with the probability of each label as bars, and its valence and arousal. */
@Component({
  selector: 'xy-affect-bars',
  imports: [DecimalPipe, PercentPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="affect" [attr.data-testid]="'affect-' + name()">
      <p class="headline">
        <strong class="emotion">{{ emotion() }}</strong>
        <span class="confidence">{{ confidence() | percent }} confident</span>
      </p>
      @if (rows().length > 0) {
        <ul class="bars" [attr.aria-label]="title() + ' probabilities'">
          @for (row of rows(); track row.label) {
            <li class="bar-row">
              <span class="bar-label">{{ row.label }}</span>
              <span class="bar" role="meter" [attr.aria-label]="row.label" aria-valuemin="0" aria-valuemax="100" [attr.aria-valuenow]="row.percent">
                <span class="fill" [style.width.%]="row.percent" [class.top]="row.label === emotion()"></span>
              </span>
              <span class="bar-value">{{ row.value | percent }}</span>
            </li>
          }
        </ul>
      }
      <ul class="bars" [attr.aria-label]="title() + ' valence and arousal'">
        @for (axis of axes(); track axis.label) {
          <li class="bar-row">
            <span class="bar-label">{{ axis.label }}</span>
            <span class="bar signed" role="meter" [attr.aria-label]="axis.label" aria-valuemin="-1" aria-valuemax="1" [attr.aria-valuenow]="axis.value">
              <span class="fill" [class.negative]="axis.value < 0" [style.left.%]="axis.left" [style.width.%]="axis.width"></span>
            </span>
            <span class="bar-value" [attr.data-testid]="name() + '-' + axis.key">{{ axis.value | number: '1.2-2' }}</span>
          </li>
        }
      </ul>
    </div>
  `,
  styles: `
    @use './meter-bars';
    @include meter-bars.rows;
    .headline {
      display: flex;
      gap: 12px;
      align-items: baseline;
      margin: 0 0 8px;
    }
    .emotion {
      font-size: 1.25rem;
      text-transform: capitalize;
    }
    .confidence {
      color: var(--mat-sys-on-surface-variant);
    }
    .bars {
      list-style: none;
      padding: 0;
      margin: 0 0 8px;
      display: grid;
      gap: 4px;
    }
    .bar.signed::after {
      content: '';
      position: absolute;
      left: 50%;
      top: 0;
      bottom: 0;
      width: 1px;
      background: var(--mat-sys-outline);
    }
    .fill {
      background: var(--mat-sys-primary);
      opacity: 0.55;
    }
    .fill.top {
      opacity: 1;
    }
    .fill.negative {
      background: var(--mat-sys-tertiary);
    }
  `,
})
export class AffectBars {
  /** The modality (face, voice, text, fused): used in test ids and labels. */
  readonly name = input.required<string>();
  readonly title = input.required<string>();
  readonly emotion = input.required<string>();
  readonly confidence = input.required<number>();
  readonly valence = input.required<number>();
  readonly arousal = input.required<number>();
  readonly probabilities = input<Record<string, number | undefined> | undefined>();

  protected readonly rows = computed(() =>
    Object.entries(this.probabilities() ?? {})
      .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
      .sort((a, b) => b[1] - a[1])
      .map(([label, value]) => ({ label, value, percent: Math.round(value * 100) })),
  );

  /** A signed bar grows from the middle: right for positive, left for negative. */
  protected readonly axes = computed(() =>
    [
      { key: 'valence', label: 'Valence', value: this.valence() },
      { key: 'arousal', label: 'Arousal', value: this.arousal() },
    ].map((axis) => ({ ...axis, left: axis.value < 0 ? 50 + axis.value * 50 : 50, width: Math.abs(axis.value) * 50 })),
  );
}
