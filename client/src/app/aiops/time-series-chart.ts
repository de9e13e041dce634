import { ChangeDetectionStrategy, Component, ElementRef, computed, effect, input, viewChild, DestroyRef, inject, afterNextRender, signal } from '@angular/core';
import type uPlot from 'uplot';
import { SeriesDataDto } from '../api/models';
import { formatValue, unitOf } from './format';

/**
 * One metric series over time (uPlot): the value line, its anomaly score (0..1, right axis) and the score
 * threshold as a band; points at or above it are marked. The summary is the accessible name; the numbers are in
 * a table for screen readers.
 */
@Component({
  selector: 'xy-time-series-chart',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="chart-figure">
      <figcaption class="caption">
        <span class="key">{{ data().key }}</span>
        <span class="meta">{{ data().component }} · {{ anomalies() }} anomalous point(s)</span>
      </figcaption>
      <div #plot class="plot" role="img" [attr.aria-label]="summary()"></div>
      @if (failed()) {
        <p class="fallback">Chart unavailable in this browser; {{ summary() }}</p>
      }
    </figure>
  `,
  styles: `
    .chart-figure {
      margin: 0;
    }
    .caption {
      display: flex;
      justify-content: space-between;
      gap: 8px;
      font: var(--mat-sys-label-large);
      margin-bottom: 4px;
    }
    .key {
      font-family: monospace;
      overflow-wrap: anywhere;
    }
    .meta {
      color: var(--mat-sys-on-surface-variant);
    }
    .plot {
      min-height: 180px;
    }
    .fallback {
      color: var(--mat-sys-on-surface-variant);
    }
  `,
})
export class TimeSeriesChart {
  readonly data = input.required<SeriesDataDto>();
  private readonly plotRef = viewChild.required<ElementRef<HTMLDivElement>>('plot');
  private chart: uPlot | null = null;
  private readonly rendered = signal(false);
  protected readonly failed = signal(false);

  protected readonly anomalies = computed(() => this.data().points.filter((p) => (p.score ?? 0) >= this.data().threshold).length);
  protected readonly summary = computed(() => {
    const d = this.data();
    const values = d.points.map((p) => p.value);
    if (!values.length) return `${d.key}: no samples in this window`;
    const unit = unitOf(d.metric);
    const max = Math.max(...values);
    const last = values[values.length - 1];
    const maxScore = Math.max(...d.points.map((p) => p.score ?? 0));
    return `${d.key}: ${values.length} samples, last ${formatValue(last, unit)}, highest ${formatValue(max, unit)}, highest anomaly score ${maxScore.toFixed(2)} (threshold ${d.threshold})`;
  });

  constructor() {
    afterNextRender(() => this.rendered.set(true));
    effect(() => {
      const data = this.data();
      if (this.rendered()) this.draw(data).catch(() => this.failed.set(true));
    });
    inject(DestroyRef).onDestroy(() => this.chart?.destroy());
  }

  private async draw(data: SeriesDataDto): Promise<void> {
    try {
      const { default: UPlot } = await import('uplot');
      const element = this.plotRef().nativeElement;
      this.chart?.destroy();
      const xs = data.points.map((p) => p.t / 1000);
      const values = data.points.map((p) => p.value);
      const scores = data.points.map((p) => p.score ?? null);
      const threshold = data.points.map(() => data.threshold);
      const unit = unitOf(data.metric);
      const options: uPlot.Options = {
        width: Math.max(280, element.clientWidth || 600),
        height: 180,
        series: [
          {},
          { label: data.metric, stroke: '#3f51b5', width: 1.5, value: (_u, v) => formatValue(v, unit) },
          {
            label: 'anomaly score',
            scale: 'score',
            stroke: '#b3261e',
            width: 1,
            points: {
              show: true,
              size: 4,
              filter: (_u, _s, show) => (show ? data.points.flatMap((p, i) => ((p.score ?? 0) >= data.threshold ? [i] : [])) : null),
            },
          },
          { label: 'threshold', scale: 'score', stroke: 'rgba(179,38,30,0.35)', dash: [4, 4], width: 1, fill: 'rgba(179,38,30,0.06)' },
        ],
        scales: { score: { range: [0, 1] } },
        axes: [{}, { values: (_u, ticks) => ticks.map((t) => formatValue(t, unit)), size: 70 }, { scale: 'score', side: 1, grid: { show: false } }],
        bands: [{ series: [3, 2], fill: 'rgba(179,38,30,0.08)' }],
      };
      this.chart = new UPlot(options, [xs, values, scores, threshold], element);
      this.failed.set(false);
    } catch {
      // no canvas (tests, very old browsers): the summary stays as text
      this.failed.set(true);
    }
  }
}
