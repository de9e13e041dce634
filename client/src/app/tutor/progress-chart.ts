import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { SkillSeriesDto } from '../api/models';

const WIDTH = 640;
const HEIGHT = 200;
const PAD = 28;
const COLOURS = ['#1a73e8', '#e8710a', '#1e8e3e', '#d93025', '#9334e6', '#12b5cb', '#f9ab00'];

/** Mastery of each practised skill after every attempt (0–100%), one line per skill, with the figures in a list. */
@Component({
  selector: 'xy-progress-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <svg [attr.viewBox]="'0 0 ' + width + ' ' + height" class="chart" role="img" [attr.aria-label]="summary()">
      @for (y of [0, 0.5, 0.8, 1]; track y) {
        <line [attr.x1]="pad" [attr.x2]="width - 4" [attr.y1]="yOf(y)" [attr.y2]="yOf(y)" class="grid" [class.mastery]="y === 0.8" />
        <text [attr.x]="2" [attr.y]="yOf(y) + 4" class="tick">{{ y * 100 }}%</text>
      }
      @for (line of lines(); track line.skillId) {
        <polyline [attr.points]="line.points" fill="none" [attr.stroke]="line.colour" stroke-width="2" />
      }
    </svg>
    <ul class="legend">
      @for (line of lines(); track line.skillId) {
        <li>
          <span class="swatch" [style.background]="line.colour"></span>{{ line.name }}: {{ line.last }}% after {{ line.count }} attempt{{
            line.count === 1 ? '' : 's'
          }}
        </li>
      }
    </ul>
  `,
  styles: `
    .chart {
      width: 100%;
      max-height: 220px;
      background: var(--mat-sys-surface-container-lowest);
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: var(--mat-sys-corner-small);
    }
    .grid {
      stroke: var(--mat-sys-outline-variant);
      stroke-width: 1;
    }
    .grid.mastery {
      stroke-dasharray: 4 4;
    }
    .tick {
      font-size: 10px;
      fill: var(--mat-sys-on-surface-variant);
    }
    .legend {
      list-style: none;
      padding: 0;
      margin: 8px 0 0;
      display: flex;
      flex-wrap: wrap;
      gap: 4px 16px;
      font: var(--mat-sys-body-small);
    }
    .swatch {
      display: inline-block;
      width: 10px;
      height: 10px;
      margin-right: 6px;
      border-radius: 2px;
    }
  `,
})
export class ProgressChart {
  readonly series = input<SkillSeriesDto[]>([]);
  protected readonly width = WIDTH;
  protected readonly height = HEIGHT;
  protected readonly pad = PAD;

  protected readonly lines = computed(() => {
    const all = this.series();
    const longest = Math.max(2, ...all.map((s) => s.points.length));
    return all.map((s, i) => ({
      skillId: s.skillId,
      name: s.skillName,
      colour: COLOURS[i % COLOURS.length],
      count: s.points.length,
      last: Math.round(100 * (s.points.at(-1)?.mastery ?? 0)),
      points: s.points.map((p, k) => `${(PAD + ((WIDTH - PAD - 8) * k) / (longest - 1)).toFixed(1)},${this.yOf(p.mastery).toFixed(1)}`).join(' '),
    }));
  });

  protected readonly summary = computed(() =>
    this.lines().length
      ? `Mastery over attempts: ${this.lines()
          .map((l) => `${l.name} ${l.last}%`)
          .join(', ')}. Mastery is reached at 80%.`
      : 'No attempts yet.',
  );

  protected yOf(mastery: number): number {
    return HEIGHT - 16 - (HEIGHT - 32) * mastery;
  }
}
