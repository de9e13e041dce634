import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { HistogramBucketDto } from '../api/models';

/** Bar colours per level (Material system colours where they exist). */
const LEVEL_COLORS: Record<string, string> = {
  fatal: '#8c1d18',
  error: 'var(--mat-sys-error, #b3261e)',
  warn: '#e8a317',
  info: 'var(--mat-sys-primary, #3f51b5)',
  debug: '#7a7a7a',
  trace: '#b0b0b0',
};
const ORDER = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'];
const WIDTH = 1000;
const HEIGHT = 160;

interface Bar {
  x: number;
  width: number;
  segments: Array<{ level: string; y: number; height: number; count: number }>;
  label: string;
}

/** Stacked bars of log counts by level over time (SVG, no chart library). */
@Component({
  selector: 'xy-log-histogram',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <svg class="chart" [attr.viewBox]="'0 0 ' + width + ' ' + height" preserveAspectRatio="none" role="img" [attr.aria-label]="summary()">
      @for (bar of bars(); track bar.x) {
        <g>
          <title>{{ bar.label }}</title>
          @for (s of bar.segments; track s.level) {
            <rect [attr.x]="bar.x" [attr.y]="s.y" [attr.width]="bar.width" [attr.height]="s.height" [attr.fill]="color(s.level)" />
          }
        </g>
      }
    </svg>
    <div class="legend">
      @for (level of levels(); track level) {
        <span class="key"><span class="swatch" [style.background]="color(level)"></span>{{ level }}</span>
      }
    </div>
  `,
  styles: `
    .chart {
      width: 100%;
      height: 160px;
      display: block;
    }
    .legend {
      display: flex;
      gap: 16px;
      flex-wrap: wrap;
      font: var(--mat-sys-label-medium);
      margin-top: 4px;
    }
    .key {
      display: inline-flex;
      align-items: center;
      gap: 6px;
    }
    .swatch {
      width: 10px;
      height: 10px;
      border-radius: 2px;
      display: inline-block;
    }
  `,
})
export class LogHistogram {
  readonly buckets = input.required<HistogramBucketDto[]>();
  protected readonly width = WIDTH;
  protected readonly height = HEIGHT;

  protected readonly levels = computed(() => {
    const seen = new Set<string>();
    for (const b of this.buckets()) for (const [level, n] of Object.entries(b.counts)) if (n > 0) seen.add(level);
    return ORDER.filter((l) => seen.has(l)).concat([...seen].filter((l) => !ORDER.includes(l)));
  });

  protected readonly bars = computed<Bar[]>(() => {
    const buckets = this.buckets();
    if (buckets.length === 0) return [];
    const max = Math.max(1, ...buckets.map((b) => Object.values(b.counts).reduce((a, n) => a + n, 0)));
    const slot = WIDTH / buckets.length;
    return buckets.map((b, i) => {
      let y = HEIGHT;
      const segments = ORDER.filter((l) => (b.counts[l] ?? 0) > 0).map((level) => {
        const height = ((b.counts[level] ?? 0) / max) * (HEIGHT - 4);
        y -= height;
        return { level, y, height, count: b.counts[level] ?? 0 };
      });
      const detail = segments.map((s) => `${s.level} ${s.count}`).join(', ') || 'no logs';
      return { x: i * slot + slot * 0.1, width: slot * 0.8, segments, label: `${new Date(b.timestamp).toLocaleString()}: ${detail}` };
    });
  });

  protected readonly summary = computed(() => {
    const total = this.buckets().reduce((a, b) => a + Object.values(b.counts).reduce((x, n) => x + n, 0), 0);
    return `Log lines by level over time: ${total} in ${this.buckets().length} intervals`;
  });

  protected color(level: string): string {
    return LEVEL_COLORS[level] ?? '#999';
  }
}
