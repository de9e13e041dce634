import { ChangeDetectionStrategy, Component, ElementRef, afterRenderEffect, computed, input, viewChild } from '@angular/core';
import { DecimalPipe } from '@angular/common';
import type uPlot from 'uplot';
import { StoryResultDto } from '../api/models';

const HEIGHT = 240;

/**
 * The story's emotion arc over the piece's time (uPlot): each scene's valence as read from its text, the smoothed arc
 * the music follows, and its arousal; a line marks where the audio is. The same numbers are in a table for
 * screen readers and keyboard users.
 */
@Component({
  selector: 'xy-arc-chart',
  imports: [DecimalPipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <figure class="figure" [attr.aria-label]="'Emotion arc: ' + story().arc.shape">
      <div #plot class="plot" data-testid="arc-chart" aria-hidden="true"></div>
      <figcaption class="caption">
        Shape: <strong data-testid="arc-shape">{{ shapeLabel() }}</strong> (fit {{ story().arc.fit | number: '1.2-2' }})
      </figcaption>
      <details class="data">
        <summary>Arc as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Scene</th>
              <th scope="col">Time (s)</th>
              <th scope="col">Valence read</th>
              <th scope="col">Arc valence</th>
              <th scope="col">Arc arousal</th>
            </tr>
          </thead>
          <tbody>
            @for (scene of story().scenes; track scene.index) {
              <tr>
                <th scope="row">{{ scene.index + 1 }}</th>
                <td>{{ story().timeline[scene.index]?.startSec | number: '1.0-1' }}</td>
                <td>{{ scene.valence | number: '1.2-2' }}</td>
                <td>{{ scene.arcValence | number: '1.2-2' }}</td>
                <td>{{ scene.arcArousal | number: '1.2-2' }}</td>
              </tr>
            }
          </tbody>
        </table>
      </details>
    </figure>
  `,
  styles: `
    .figure {
      margin: 0;
    }
    .plot {
      min-height: ${HEIGHT}px;
    }
    .caption {
      margin: 4px 0;
    }
    .data table {
      border-collapse: collapse;
      font-variant-numeric: tabular-nums;
    }
    .data th,
    .data td {
      padding: 2px 8px;
      text-align: right;
    }
  `,
})
export class ArcChart {
  readonly story = input.required<StoryResultDto>();
  /** Where the audio is, in seconds (the marker line). */
  readonly time = input(0);

  private readonly plot = viewChild.required<ElementRef<HTMLElement>>('plot');
  private chart: uPlot | null = null;
  private drawnFor: StoryResultDto | null = null;

  protected readonly shapeLabel = computed(() => this.story().arc.shape.replace(/-/g, ' '));

  /** The piece's length in seconds: the x axis runs from its start to its end, so the marker never leaves the plot. */
  private readonly duration = computed(() => Math.max(0, ...this.story().timeline.map((entry) => entry.endSec)));

  /** x: the middle of each scene's stretch of audio. */
  private readonly data = computed<uPlot.AlignedData>(() => {
    const { scenes, timeline } = this.story();
    const x = scenes.map((scene) => {
      const span = timeline.find((entry) => entry.scene === scene.index);
      return span ? (span.startSec + span.endSec) / 2 : scene.index;
    });
    return [x, scenes.map((s) => s.valence), scenes.map((s) => s.arcValence), scenes.map((s) => s.arcArousal)];
  });

  constructor() {
    afterRenderEffect((onCleanup) => {
      const story = this.story();
      const host = this.plot().nativeElement;
      if (this.drawnFor === story) return;
      this.drawnFor = story;
      const data = this.data();
      let cancelled = false;
      createChart(host, data, this.duration(), () => this.time()).then(
        (chart) => {
          if (cancelled) return chart?.destroy();
          this.chart?.destroy();
          this.chart = chart;
        },
        () => undefined, // the table stays the arc's only form
      );
      onCleanup(() => {
        cancelled = true;
        this.chart?.destroy();
        this.chart = null;
        this.drawnFor = null;
      });
    });
    // The marker follows the audio without rebuilding the chart.
    afterRenderEffect(() => {
      this.time();
      this.chart?.redraw(false, false);
    });
  }
}

/** The chart library is loaded with the first chart, so the page does not carry it before a story is done. */
async function createChart(host: HTMLElement, data: uPlot.AlignedData, duration: number, time: () => number): Promise<uPlot | null> {
  // Without a 2D canvas (an old browser, a test DOM) the table stays the arc's only form.
  if (typeof matchMedia !== 'function' || !document.createElement('canvas').getContext) return null;
  const { default: UPlot } = await import('uplot');
  const width = Math.max(280, host.clientWidth || 640);
  const marker: uPlot.Plugin = {
    hooks: {
      draw: (u) => {
        const x = u.valToPos(time(), 'x', true);
        if (!(x >= u.bbox.left && x <= u.bbox.left + u.bbox.width)) return;
        const ctx = u.ctx;
        ctx.save();
        ctx.strokeStyle = '#e65100';
        ctx.lineWidth = 2 * devicePixelRatio;
        // Solid, whatever dash the last series left on the context.
        ctx.setLineDash([]);
        ctx.beginPath();
        ctx.moveTo(x, u.bbox.top);
        ctx.lineTo(x, u.bbox.top + u.bbox.height);
        ctx.stroke();
        ctx.restore();
      },
    },
  };
  return new UPlot(
    {
      width,
      height: HEIGHT,
      plugins: [marker],
      // A piece without a timeline (none yet) lets uPlot fit the scenes' times.
      scales: { x: duration > 0 ? { time: false, range: [0, duration] } : { time: false }, y: { range: [-1, 1] } },
      axes: [{ label: 'seconds' }, { label: 'valence / arousal' }],
      // The legend names the series; the figures under the cursor are in "Arc as a table".
      legend: { live: false },
      series: [
        {},
        // The arc's lines carry no markers, so the scenes' own readings, at the same times, stay visible.
        { label: 'Valence read', stroke: '#7e57c2', width: 0, points: { show: true, size: 7, fill: '#7e57c2' } },
        { label: 'Arc valence', stroke: '#1565c0', width: 2.5, points: { show: false } },
        { label: 'Arc arousal', stroke: '#2e7d32', width: 1.5, dash: [6, 4], points: { show: false } },
      ],
    },
    data,
    host,
  );
}
